package io.cartero.node;

import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes {@code message} frames, remembering the latest ones so that a message fanned out to
 * many connections of this node is turned into JSON, and that into UTF-8, once, not once per
 * recipient: every connection sends the same bytes. A small fixed table indexed by the
 * message's offset: bounded, lock-free, and a miss only costs an encoding. Thread-safe.
 */
final class MessageFrames {
    private static final int SLOTS = 1024;

    private final FrameCodec codec;
    /** Recently encoded frames; any thread may replace any slot. */
    private final AtomicReferenceArray<Encoded> slots = new AtomicReferenceArray<>(SLOTS);

    MessageFrames(FrameCodec codec) {
        this.codec = codec;
    }

    /** The {@code message} frame carrying {@code message}, in UTF-8; see the other form. */
    byte[] encode(Message message) {
        return encode(message, null);
    }

    /**
     * The JSON text of a {@code message} frame carrying {@code message} and, for a direct
     * room, its two users (which the room's name always gives, so the cache may ignore them),
     * in UTF-8. Shared by every recipient: callers must not change it.
     */
    byte[] encode(Message message, List<String> between) {
        int slot = (int) (message.offset() ^ message.room().hashCode()) & (SLOTS - 1);
        Encoded cached = slots.get(slot);
        if (cached != null && (cached.message == message || cached.message.equals(message))) {
            return cached.utf8;
        }
        byte[] utf8 = codec.encodeUtf8(new Frame.MessageFrame(null, message, between));
        slots.set(slot, new Encoded(message, utf8));
        return utf8;
    }

    private record Encoded(Message message, byte[] utf8) {
    }
}
