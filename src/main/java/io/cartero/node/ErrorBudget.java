package io.cartero.node;

import java.time.Duration;

/**
 * Counts a connection's refused requests in a sliding window: more than {@code maxErrors}
 * within {@code window} exhausts it. Thread-safe.
 */
final class ErrorBudget {
    /** The times of the latest {@code maxErrors + 1} errors, a ring; guarded by this. */
    private final long[] times;
    private final long windowNanos;
    /** Where the next error's time goes; guarded by this. */
    private int next;
    /** How many slots of {@link #times} hold a time; guarded by this. */
    private int filled;

    ErrorBudget(int maxErrors, Duration window) {
        this.times = new long[maxErrors + 1];
        this.windowNanos = window.toNanos();
    }

    /** Records one error at {@code nanoTime}; {@code true} when that passes the limit. */
    synchronized boolean spend(long nanoTime) {
        times[next] = nanoTime;
        next = (next + 1) % times.length;
        filled = Math.min(filled + 1, times.length);
        return filled == times.length && nanoTime - times[next] <= windowNanos;
    }
}
