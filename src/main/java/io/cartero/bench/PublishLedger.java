package io.cartero.bench;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What one publisher sent: its sequence numbers, when each was meant to go out, and which
 * ones the broker acknowledged (stored) or refused. Not thread-safe: one publisher is driven
 * by one thread at a time.
 */
final class PublishLedger {
    private final int index;
    private final int room;
    private final BitSet acked = new BitSet();
    private final BitSet refused = new BitSet();
    /** When each message was stamped, by sequence number, in {@link System#nanoTime} units. */
    private long[] stamps = new long[1024];
    private long sent;
    private long ackCount;
    private long failed;

    PublishLedger(int index, int room) {
        this.index = index;
        this.room = room;
    }

    int index() {
        return index;
    }

    /** The index of the room it publishes to. */
    int room() {
        return room;
    }

    /**
     * Takes the next sequence number for a message stamped at {@code stampNanos}.
     *
     * @return the sequence number, 1 for the first message
     */
    long next(long stampNanos) {
        long sequence = ++sent;
        if (sequence >= stamps.length) {
            stamps = Arrays.copyOf(stamps, stamps.length * 2);
        }
        stamps[(int) sequence] = stampNanos;
        return sequence;
    }

    /**
     * The broker stored message {@code sequence}.
     *
     * @return when it was stamped, or -1 if the sequence number was never sent or was already
     *     answered
     */
    long acked(long sequence) {
        if (!answerable(sequence)) {
            return -1;
        }
        acked.set((int) sequence);
        ackCount++;
        return stamps[(int) sequence];
    }

    /** The broker refused message {@code sequence} (an error frame or a failed future). */
    void failed(long sequence) {
        if (answerable(sequence)) {
            failed++;
            refused.set((int) sequence);
        }
    }

    /** Whether message {@code sequence} was acknowledged. */
    boolean isAcked(long sequence) {
        return sequence > 0 && sequence <= sent && acked.get((int) sequence);
    }

    /** How many messages from sequence number {@code from} on were acknowledged. */
    long ackedFrom(long from) {
        if (from > sent) {
            return 0;
        }
        return acked.get((int) Math.max(1, from), (int) sent + 1).cardinality();
    }

    /** How many messages from {@code from} up to, not including, {@code to} were acknowledged. */
    long ackedBetween(long from, long to) {
        long start = Math.max(1, from);
        long end = Math.min(to, sent + 1);
        return start >= end ? 0 : acked.get((int) start, (int) end).cardinality();
    }

    long sent() {
        return sent;
    }

    long ackCount() {
        return ackCount;
    }

    long failedCount() {
        return failed;
    }

    /** Sent and neither acknowledged nor refused. */
    long unanswered() {
        return sent - ackCount - failed;
    }

    private boolean answerable(long sequence) {
        return sequence > 0 && sequence <= sent && !acked.get((int) sequence)
                && !refused.get((int) sequence);
    }
}
