package io.cartero.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may open a connection to the node: counts the open connections of each address against
 * {@link Guards#maxConnectionsPerAddress}, checks the secret a client presents, and slows down
 * an address that keeps presenting a wrong one. Thread-safe.
 */
final class Admission {
    /** Wrong secrets an address may present before it must wait between attempts. */
    static final int FREE_FAILURES = 5;
    /** The longest an address must wait before its next attempt. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(60);
    /** Failures older than this are forgotten. */
    private static final Duration MEMORY = Duration.ofMinutes(10);
    /** Addresses whose failures are remembered at most; older ones are dropped first. */
    private static final int MAX_REMEMBERED = 10_000;

    private final Guards guards;
    private final byte[] secret;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    Admission(Guards guards) {
        this.guards = guards;
        this.secret = guards.secret() == null ? null
                : guards.secret().getBytes(StandardCharsets.UTF_8);
    }

    /** The outcome of presenting a secret. */
    enum Verdict { ADMITTED, WRONG, WAIT }

    /**
     * Counts one more open connection from {@code address}; {@code false}, counting nothing,
     * when the address already has as many as allowed.
     */
    boolean open(String address) {
        AtomicInteger count = open.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > guards.maxConnectionsPerAddress()) {
            closed(address);
            return false;
        }
        return true;
    }

    /** Counts one connection from {@code address} fewer. */
    void closed(String address) {
        open.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Whether the node asks for a secret at all. */
    boolean required() {
        return secret != null;
    }

    /**
     * Checks {@code presented} from {@code address} at {@code nanoTime}: {@link Verdict#WAIT},
     * without comparing, while the address must wait after too many wrong ones.
     */
    Verdict check(String address, String presented, long nanoTime) {
        if (secret == null) {
            return Verdict.ADMITTED;
        }
        Failures past = failures.get(address);
        if (past != null && past.waitNanos(nanoTime) > 0) {
            return Verdict.WAIT;
        }
        byte[] given = presented == null ? new byte[0]
                : presented.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(secret, given)) {
            return Verdict.ADMITTED;
        }
        remember(address, nanoTime);
        return Verdict.WRONG;
    }

    /** How long {@code address} must still wait before its next attempt, in whole seconds. */
    long secondsToWait(String address, long nanoTime) {
        Failures past = failures.get(address);
        long nanos = past == null ? 0 : past.waitNanos(nanoTime);
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private void remember(String address, long nanoTime) {
        if (failures.size() >= MAX_REMEMBERED) {
            failures.values().removeIf(f -> f.forgotten(nanoTime));
            if (failures.size() >= MAX_REMEMBERED) {
                failures.clear();
            }
        }
        failures.compute(address, (a, past) -> past == null || past.forgotten(nanoTime)
                ? new Failures(1, nanoTime) : new Failures(past.count + 1, nanoTime));
    }

    /** An address's recent wrong secrets: how many, and when the last came. */
    private record Failures(int count, long last) {
        /** Past the free ones, each failure doubles the wait: 1 s, 2 s, 4 s... up to 60 s. */
        long waitNanos(long nanoTime) {
            if (count < FREE_FAILURES) {
                return 0;
            }
            int doublings = Math.min(count - FREE_FAILURES, 6);
            long wait = Math.min(LONGEST_WAIT.toNanos(), (1L << doublings) * 1_000_000_000L);
            return Math.max(0, last + wait - nanoTime);
        }

        boolean forgotten(long nanoTime) {
            return nanoTime - last > MEMORY.toNanos();
        }
    }
}
