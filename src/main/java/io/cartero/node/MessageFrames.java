package io.cartero.node;

import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes {@code message} frames, remembering the latest ones so that a message fanned out to
 * many connections of this node is turned into JSON once, not once per recipient. A small
 * fixed table indexed by the message's hash: bounded, lock-free, and a miss only costs an
 * encoding. Thread-safe.
 */
final class MessageFrames {
    private static final int SLOTS = 1024;

    private final FrameCodec codec;
    /** Recently encoded frames; any thread may replace any slot. */
    private final AtomicReferenceArray<Encoded> slots = new AtomicReferenceArray<>(SLOTS);

    MessageFrames(FrameCodec codec) {
        this.codec = codec;
    }

    /** The JSON text of a {@code message} frame carrying {@code message}. */
    String encode(Message message) {
        return encode(message, null);
    }

    /**
     * The JSON text of a {@code message} frame carrying {@code message} and, for a direct
     * room, its two users (which the room's name always gives, so the cache may ignore them).
     */
    String encode(Message message, List<String> between) {
        int slot = message.hashCode() & (SLOTS - 1);
        Encoded cached = slots.get(slot);
        if (cached != null && cached.message.equals(message)) {
            return cached.text;
        }
        String text = codec.encode(new Frame.MessageFrame(null, message, between));
        slots.set(slot, new Encoded(message, text));
        return text;
    }

    private record Encoded(Message message, String text) {
    }
}
