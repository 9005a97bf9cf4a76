package io.cartero.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * When to try reconnecting: exponential backoff with full jitter. Attempt {@code n} waits a
 * random time between zero and {@code min(cap, first * 2^(n-1))}, so that many clients cut
 * off by one node do not all come back at the same instant.
 *
 * <p>Immutable and thread-safe.
 */
final class ExponentialBackoff {
    private final long firstMs;
    private final long capMs;
    /** Picks a number from 0 to its argument, both included. */
    private final LongUnaryOperator random;

    ExponentialBackoff(Duration first, Duration cap) {
        this(first, cap, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    ExponentialBackoff(Duration first, Duration cap, LongUnaryOperator random) {
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first delay must be positive: " + first);
        }
        if (cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("cap must be at least the first delay: " + cap);
        }
        this.firstMs = first.toMillis();
        this.capMs = cap.toMillis();
        this.random = random;
    }

    /** The delay before attempt {@code attempt} (1 for the first). */
    Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
        return Duration.ofMillis(random.applyAsLong(ceiling(attempt)));
    }

    /** The longest delay attempt {@code attempt} may wait. */
    long ceiling(int attempt) {
        int doublings = Math.min(attempt - 1, 62);
        long ceiling = firstMs;
        for (int i = 0; i < doublings && ceiling < capMs; i++) {
            ceiling *= 2;
        }
        return Math.min(ceiling, capMs);
    }
}
