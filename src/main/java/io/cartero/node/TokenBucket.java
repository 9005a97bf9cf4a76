package io.cartero.node;

/**
 * A connection's allowance of requests: holds up to {@code capacity} tokens, refills at
 * {@code perSecond}, and each request takes one. Thread-safe.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double capacity;
    private final double perNano;
    /** Tokens left at {@link #updated}; guarded by this. */
    private double tokens;
    /** When {@link #tokens} was last brought up to date, in nanoTime units; guarded by this. */
    private long updated;

    TokenBucket(int capacity, int perSecond, long nanoTime) {
        this.capacity = capacity;
        this.perNano = (double) perSecond / NANOS_PER_SECOND;
        this.tokens = capacity;
        this.updated = nanoTime;
    }

    /** Takes one token at {@code nanoTime}; {@code false} when none is left. */
    synchronized boolean take(long nanoTime) {
        long elapsed = Math.max(0, nanoTime - updated);
        tokens = Math.min(capacity, tokens + elapsed * perNano);
        updated = nanoTime;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
