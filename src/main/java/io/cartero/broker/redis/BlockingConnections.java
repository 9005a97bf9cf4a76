package io.cartero.broker.redis;

import io.cartero.broker.BrokerException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Connections for blocking commands (BRPOP), one per waiting pop: a blocked connection can
 * serve nothing else. Made on demand, at most {@link #MOST} at a time, and at most
 * {@link #MOST_IDLE} kept for reuse. Thread-safe: every field is guarded by {@code this}.
 */
final class BlockingConnections {
    /** The most blocking connections at a time: the most pops one broker can wait on. */
    static final int MOST = 64;
    private static final int MOST_IDLE = 8;

    private final RedisClient client;
    private final RedisURI uri;
    private final Deque<Lease> idle = new ArrayDeque<>();
    private final Set<Lease> all = new HashSet<>();
    private int connecting;
    private boolean closed;

    BlockingConnections(RedisClient client, RedisURI uri) {
        this.client = client;
        this.uri = uri;
    }

    /** A connection of one's own, with its client id (for CLIENT UNBLOCK). */
    CompletableFuture<Lease> acquire() {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new BrokerException("broker closed"));
            }
            Lease reused = idle.pollFirst();
            if (reused != null) {
                return CompletableFuture.completedFuture(reused);
            }
            if (all.size() + connecting >= MOST) {
                return CompletableFuture.failedFuture(new BrokerException(
                        "too many pops waiting at once (at most " + MOST + ")"));
            }
            connecting++;
        }
        return client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCompose(connection -> connection.async().clientId().toCompletableFuture()
                        .thenApply(id -> new Lease(connection, id)))
                .whenComplete((lease, failure) -> added(lease));
    }

    /** Gives a connection back; a broken one, or one beyond the idle bound, is closed. */
    void release(Lease lease, boolean healthy) {
        synchronized (this) {
            if (!closed && healthy && idle.size() < MOST_IDLE) {
                idle.addFirst(lease);
                return;
            }
            all.remove(lease);
        }
        lease.connection().closeAsync();
    }

    /** Takes no more connections; the client's shutdown closes the open ones. */
    synchronized void close() {
        closed = true;
        all.clear();
        idle.clear();
    }

    private void added(Lease lease) {
        boolean late;
        synchronized (this) {
            connecting--;
            late = closed && lease != null;
            if (lease != null && !closed) {
                all.add(lease);
            }
        }
        if (late) {
            lease.connection().closeAsync();
        }
    }

    /** A blocking connection and the id Redis gave it. */
    record Lease(StatefulRedisConnection<String, String> connection, long clientId) {
    }
}
