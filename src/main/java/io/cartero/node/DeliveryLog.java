package io.cartero.node;

import io.cartero.message.Message;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest messages one room feed handed to its connection, and when: a ring of fixed size
 * written by the feed's delivery (one writer at a time) without a lock and without allocating,
 * read now and then for a message's journey. Its count is the edge's total for the view.
 *
 * <p>A reader copies an entry, then checks that the writer has not come round to that slot
 * meanwhile; an entry that may have been overwritten is skipped.
 */
final class DeliveryLog {
    /** How many deliveries are kept; a power of two. */
    static final int SIZE = 128;

    private final long[] offsets = new long[SIZE];
    private final long[] sentAts = new long[SIZE];
    private final long[] deliveredAts = new long[SIZE];
    private final String[] epochs = new String[SIZE];
    /** Deliveries recorded so far; entry {@code n} lives in slot {@code n % SIZE}. */
    private final AtomicLong count = new AtomicLong();

    /** Records that {@code message} was handed to the connection at {@code atMillis}. */
    void delivered(Message message, long atMillis) {
        long n = count.get();
        int slot = (int) (n & (SIZE - 1));
        offsets[slot] = message.offset();
        sentAts[slot] = message.sentAt();
        deliveredAts[slot] = atMillis;
        epochs[slot] = message.epoch();
        count.lazySet(n + 1);
    }

    /** Messages delivered since the feed started. */
    long count() {
        return count.get();
    }

    /**
     * When the message at {@code offset} (of {@code epoch}, or of any epoch when it is
     * {@code null}) was delivered, or {@code null} if it is not among the entries kept.
     */
    Entry find(String epoch, long offset) {
        long end = count.get();
        for (long n = end - 1; n >= Math.max(0, end - SIZE); n--) {
            int slot = (int) (n & (SIZE - 1));
            Entry entry = new Entry(epochs[slot], offsets[slot], sentAts[slot],
                    deliveredAts[slot]);
            if (count.get() - n > SIZE) {
                return null;
            }
            if (entry.offset == offset && (epoch == null || epoch.equals(entry.epoch))) {
                return entry;
            }
        }
        return null;
    }

    /** The newest delivery, or {@code null} before the first. */
    Entry latest() {
        long end = count.get();
        if (end == 0) {
            return null;
        }
        int slot = (int) ((end - 1) & (SIZE - 1));
        Entry entry = new Entry(epochs[slot], offsets[slot], sentAts[slot], deliveredAts[slot]);
        return count.get() - end >= SIZE - 1 ? null : entry;
    }

    /** One delivery: the message's epoch, offset and broker time, and when it went out. */
    record Entry(String epoch, long offset, long sentAt, long deliveredAt) {
    }
}
