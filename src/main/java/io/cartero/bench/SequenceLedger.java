package io.cartero.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What one subscriber received, by publisher and sequence number. Each publisher numbers its
 * messages 1, 2, 3...; in the usual case they arrive in that order and recording one is a
 * compare and an increment, with nothing allocated. A sequence number that jumps ahead leaves
 * the ones it skipped as missing (they may still come, late); one that comes again is a
 * duplicate. After the node says the subscriber fell behind retention, the next jump of each
 * publisher is the announced skip: its numbers are counted as passed over, not missing.
 * Not thread-safe: one subscriber's deliveries are recorded by one thread at a
 * time.
 */
final class SequenceLedger {
    private final int room;
    /** Per publisher, the sequence number after the highest one received. */
    private final long[] next;
    /** Per publisher, the numbers below {@code next} not received yet; null while none. */
    private final TreeSet<Long>[] missing;
    /** Per publisher, whether a history-lost notice came after its last message received. */
    private final boolean[] told;
    /**
     * The ranges jumped over right after a notice, as {publisher, from, to (exclusive)}; they
     * are rare, so a list will do.
     */
    private final List<long[]> passedOver = new ArrayList<>();
    private long received;
    private long duplicates;
    private long foreign;
    private long historyLost;

    /**
     * @param room the index of the subscriber's room
     * @param publishers how many publishers there are (in every room)
     */
    @SuppressWarnings("unchecked")
    SequenceLedger(int room, int publishers) {
        this.room = room;
        this.next = new long[publishers];
        this.missing = new TreeSet[publishers];
        this.told = new boolean[publishers];
        Arrays.fill(next, 1);
    }

    /** The index of the subscriber's room. */
    int room() {
        return room;
    }

    /**
     * Records message {@code sequence} of {@code publisher}.
     *
     * @return {@code false} if it was a duplicate or names no known publisher
     */
    boolean record(int publisher, long sequence) {
        if (publisher < 0 || publisher >= next.length || sequence < 1) {
            foreign++;
            return false;
        }
        long expected = next[publisher];
        if (sequence == expected) {
            next[publisher] = expected + 1;
            told[publisher] = false;
            received++;
            return true;
        }
        if (sequence > expected) {
            if (told[publisher]) {
                passedOver.add(new long[] {publisher, expected, sequence});
                told[publisher] = false;
            } else {
                skipped(publisher, expected, sequence);
            }
            next[publisher] = sequence + 1;
            received++;
            return true;
        }
        TreeSet<Long> gaps = missing[publisher];
        if (gaps != null && gaps.remove(sequence)) {
            received++;
            return true;
        }
        duplicates++;
        return false;
    }

    /** A frame in the room that no publisher of this run sent. */
    void foreign() {
        foreign++;
    }

    /**
     * The node said the subscriber fell behind retention: what each publisher's next message
     * jumps over was dropped by the broker, and the subscriber knows it.
     */
    void historyLost() {
        historyLost++;
        Arrays.fill(told, true);
    }

    /** Whether {@code sequence} of {@code publisher} has been received. */
    boolean has(int publisher, long sequence) {
        if (sequence >= next[publisher]) {
            return false;
        }
        TreeSet<Long> gaps = missing[publisher];
        return gaps == null || !gaps.contains(sequence);
    }

    /** How many messages {@code publisher} had acknowledged that this subscriber lacks. */
    long missedOf(PublishLedger publisher) {
        int index = publisher.index();
        long missed = publisher.ackedFrom(next[index]);
        TreeSet<Long> gaps = missing[index];
        if (gaps != null) {
            for (long sequence : gaps) {
                if (publisher.isAcked(sequence)) {
                    missed++;
                }
            }
        }
        return missed;
    }

    /** Distinct messages received. */
    long received() {
        return received;
    }

    long duplicates() {
        return duplicates;
    }

    /** Frames that carried no message of this run's publishers. */
    long foreignFrames() {
        return foreign;
    }

    long historyLostCount() {
        return historyLost;
    }

    /**
     * How many messages {@code publisher} had acknowledged that this subscriber jumped over
     * right after a history-lost notice: loss the subscriber was told of.
     */
    long passedOverOf(PublishLedger publisher) {
        long count = 0;
        for (long[] range : passedOver) {
            if (range[0] == publisher.index()) {
                count += publisher.ackedBetween(range[1], range[2]);
            }
        }
        return count;
    }

    private void skipped(int publisher, long from, long to) {
        TreeSet<Long> gaps = missing[publisher];
        if (gaps == null) {
            gaps = new TreeSet<>();
            missing[publisher] = gaps;
        }
        for (long s = from; s < to; s++) {
            gaps.add(s);
        }
    }
}
