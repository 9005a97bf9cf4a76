package io.cartero.broker.redis;

import io.cartero.message.QueueMessage;
import io.lettuce.core.KeyValue;
import io.lettuce.core.UnblockType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pop that waits: BRPOP on a connection of its own, in slices no longer than
 * {@link #SLICE} (Lettuce's command timeout must outlast each). When {@code decode} answers
 * empty (it set a malformed entry aside), the pop goes on waiting until its deadline.
 *
 * <p>Cancelling never loses a message. A cancel while BRPOP waits unblocks it with CLIENT
 * UNBLOCK (sent on the main connection, repeated until Redis has seen the BRPOP); if BRPOP had
 * already taken a message, RPUSH puts it back on the side BRPOP takes from, so it is again
 * the first in line. {@link #settled()} completes once all of that is over, so that a later
 * push or depth on this node can wait for it. Replies are handled on the broker's callback
 * threads, never on Lettuce's. Thread-safe: state moves under {@code this}.
 */
final class BlockingPop {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingPop.class);
    /** The longest one BRPOP waits. */
    static final Duration SLICE = Duration.ofSeconds(20);
    /** Waits longer than this are cut to it. */
    static final Duration LONGEST_WAIT = Duration.ofDays(1);
    private static final int UNBLOCK_TRIES = 500;
    private static final Duration UNBLOCK_PAUSE = Duration.ofMillis(2);

    private final String key;
    private final long deadline;
    private final RedisAsyncCommands<String, String> main;
    private final BlockingConnections connections;
    private final Timer timer;
    private final Gate gate;
    private final Function<String, Optional<QueueMessage>> decode;
    private final CompletableFuture<Optional<QueueMessage>> result =
            new CompletableFuture<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** Guarded by {@code this}: the connection while a BRPOP waits on it. */
    private BlockingConnections.Lease waiting;

    BlockingPop(String key, Duration timeout, RedisAsyncCommands<String, String> main,
            BlockingConnections connections, Timer timer, Gate gate,
            Function<String, Optional<QueueMessage>> decode) {
        this.key = key;
        Duration wait = timeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : timeout;
        this.deadline = System.nanoTime() + wait.toNanos();
        this.main = main;
        this.connections = connections;
        this.timer = timer;
        this.gate = gate;
        this.decode = decode;
    }

    /** What the caller holds: completes with the message, empty, or a failure. */
    CompletableFuture<Optional<QueueMessage>> result() {
        return result;
    }

    /** Completes when this pop holds nothing any more: no BRPOP waits, nothing to put back. */
    CompletableFuture<Void> settled() {
        return settled;
    }

    BlockingPop start() {
        result.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                unblock(0);
            }
        });
        connections.acquire().whenCompleteAsync((lease, failure) -> {
            if (failure != null) {
                fail(failure);
                settled.complete(null);
            } else {
                next(lease);
            }
        }, gate.callbacks());
        return this;
    }

    private void next(BlockingConnections.Lease lease) {
        long left = deadline - System.nanoTime();
        synchronized (this) {
            if (result.isDone() || left <= 0) {
                waiting = null;
                connections.release(lease, true);
                result.complete(Optional.empty());
                settled.complete(null);
                return;
            }
            waiting = lease;
        }
        double seconds = Math.max(0.01, Math.min(left, SLICE.toNanos()) / 1e9);
        lease.connection().async().brpop(seconds, key).whenCompleteAsync((popped, failure) -> {
            if (failure != null) {
                done(lease, false);
                fail(failure);
            } else if (popped == null) {
                next(lease);
            } else {
                taken(lease, popped);
            }
        }, gate.callbacks());
    }

    private void taken(BlockingConnections.Lease lease, KeyValue<String, String> popped) {
        String value = popped.getValue();
        Optional<QueueMessage> message;
        try {
            message = decode.apply(value);
        } catch (RuntimeException e) {
            done(lease, true);
            fail(e);
            return;
        }
        if (message.isEmpty()) {
            // The entry was malformed and set aside: wait on for the next, within the deadline.
            next(lease);
            return;
        }

        synchronized (this) {
            waiting = null;
        }
        connections.release(lease, true);
        if (result.complete(message)) {
            settled.complete(null);
            return;
        }
        LOG.debug("pop ended before its message arrived, putting it back key={}", key);
        main.rpush(key, value).whenComplete((length, failure) -> {
            if (failure != null) {
                LOG.warn("could not put back a popped message key={}", key, failure);
            }
            settled.complete(null);
        });
    }

    private void done(BlockingConnections.Lease lease, boolean healthy) {
        synchronized (this) {
            waiting = null;
        }
        connections.release(lease, healthy);
        settled.complete(null);
    }

    private void fail(Throwable failure) {
        result.completeExceptionally(gate.translate(failure));
    }

    /** Keeps asking Redis to unblock this pop's BRPOP until it has or the BRPOP is over. */
    private void unblock(int tries) {
        BlockingConnections.Lease lease;
        synchronized (this) {
            lease = waiting;
        }
        if (lease == null || settled.isDone() || tries >= UNBLOCK_TRIES) {
            return;
        }
        main.clientUnblock(lease.clientId(), UnblockType.TIMEOUT)
                .whenComplete((unblocked, failure) -> {
                    if (failure == null && unblocked == 0) {
                        timer.later(() -> unblock(tries + 1), UNBLOCK_PAUSE);
                    }
                });
    }
}
