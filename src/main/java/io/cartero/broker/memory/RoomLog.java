package io.cartero.broker.memory;

import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest messages of one room epoch, at most {@code retention} of them, in a ring that
 * grows on demand up to that size. Not thread-safe: its {@link Room} guards it.
 */
final class RoomLog {
    private static final int INITIAL_CAPACITY = 16;

    private final int retention;
    private Message[] ring;
    /** Index in {@link #ring} of the oldest message kept. */
    private int head;
    private int size;
    private long lastOffset;

    RoomLog(int retention) {
        this.retention = retention;
        this.ring = new Message[Math.min(INITIAL_CAPACITY, retention)];
    }

    /** The offset the next message gets. */
    long nextOffset() {
        return lastOffset + 1;
    }

    /** The newest message's offset, 0 if none was ever stored. */
    long lastOffset() {
        return lastOffset;
    }

    /** The oldest kept message's offset; {@code lastOffset() + 1} when none is kept. */
    long oldestOffset() {
        return lastOffset - size + 1;
    }

    /** Stores {@code message}, whose offset must be {@link #nextOffset()}. */
    void append(Message message) {
        if (size == retention) {
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        } else if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = message;
        size++;
        lastOffset = message.offset();
    }

    /** Up to {@code max} kept messages from {@code offset} on, which must be kept or next. */
    List<Message> from(long offset, int max) {
        long first = Math.max(offset, oldestOffset());
        int count = (int) Math.min(max, lastOffset - first + 1);
        List<Message> messages = new ArrayList<>(Math.max(count, 0));
        for (int i = 0; i < count; i++) {
            messages.add(ring[index(first + i)]);
        }
        return messages;
    }

    private int index(long offset) {
        return (int) ((head + (offset - oldestOffset())) % ring.length);
    }

    private void grow() {
        Message[] bigger = new Message[(int) Math.min(2L * ring.length, retention)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }
}
