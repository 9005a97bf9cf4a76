package io.cartero.node;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The named connections of one node, by user name, so that a session that connects again
 * replaces its older connection instead of being refused. Thread-safe.
 */
final class Sessions {
    /** How long a new connection waits for the one it replaces to clean up. */
    static final Duration TAKEOVER_WAIT = Duration.ofSeconds(5);

    /** The live connection holding each name on this node. */
    private final Map<String, Connection> byName = new ConcurrentHashMap<>();

    /**
     * Records {@code connection} as the holder of {@code name}. If another connection of the
     * same session holds it here, that one is replaced (closed with 4004).
     *
     * @return completes {@code true} when the replaced connection has cleaned up (left its
     *     rooms), or at the latest after {@link #TAKEOVER_WAIT}; {@code false} at once when
     *     none was replaced
     */
    CompletableFuture<Boolean> claim(String name, String holder, Connection connection) {
        Connection previous = byName.put(name, connection);
        if (previous == null || previous == connection || !holder.equals(previous.holder())) {
            return CompletableFuture.completedFuture(false);
        }
        return previous.replace()
                .completeOnTimeout(null, TAKEOVER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(ignored -> true);
    }

    /** Forgets {@code connection} as the holder of {@code name}, if it still is. */
    void forget(String name, Connection connection) {
        byName.remove(name, connection);
    }
}
