package io.cartero.node;

import java.time.Duration;

/**
 * Which connections the node pings on each tick of its chores: a tenth of them at a time, so
 * that each connection is pinged once per ping interval but 10,000 pongs do not come back in
 * the same instant (a burst that delays every delivery behind it). A connection's slice
 * follows from its id. Used by one thread at a time (the chores thread).
 */
final class PingRounds {
    /** How many ticks one ping interval is cut into. */
    static final int SLICES = 10;

    private int next;

    /** How often to tick for connections to be pinged every {@code interval}. */
    static long tickMillis(Duration interval) {
        return Math.max(1, interval.toMillis() / SLICES);
    }

    /** Whether the connection {@code id} is pinged on the ticks of {@code slice}. */
    static boolean inSlice(String id, int slice) {
        return Math.floorMod(id.hashCode(), SLICES) == slice;
    }

    /** The slice to ping on this tick: each slice once every {@link #SLICES} ticks. */
    int nextSlice() {
        int slice = next;
        next = (next + 1) % SLICES;
        return slice;
    }
}
