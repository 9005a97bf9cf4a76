package io.cartero.broker.redis;

import io.cartero.broker.Taken;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.UnblockType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One take that may wait. Taking is take.lua, which moves the head of the list into the lease
 * records in one atomic step and never blocks; waiting is a separate signal: {@code BLMOVE
 * list list RIGHT RIGHT} on a connection of its own blocks until the list has an entry and
 * then moves that entry from the head back to the head, changing nothing. So the loop is:
 * take; if the list was empty, wait for the signal (in slices no longer than
 * {@link BlockingPop#SLICE}); take again; until a message or the deadline. Another consumer
 * may win the entry between the signal and the take: the loop then simply waits again.
 *
 * <p>Cancelling never loses a message: a cancel unblocks the wait with CLIENT UNBLOCK, and a
 * message leased for a take that was cancelled meanwhile goes straight back to the head of
 * the queue (giveback.lua). {@link #settled()} completes once all of that is over. Replies are
 * handled on the broker's callback threads. Thread-safe: state moves under {@code this}.
 */
final class BlockingTake {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingTake.class);
    private static final int UNBLOCK_TRIES = 500;
    private static final Duration UNBLOCK_PAUSE = Duration.ofMillis(2);

    private final String list;
    private final long deadline;
    private final Source source;
    private final RedisAsyncCommands<String, String> main;
    private final BlockingConnections connections;
    private final Timer timer;
    private final Gate gate;
    private final CompletableFuture<Optional<Taken>> result = new CompletableFuture<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** Guarded by {@code this}: the connection held for waiting, once one was needed. */
    private BlockingConnections.Lease lease;
    /** Guarded by {@code this}: whether a BLMOVE waits on {@link #lease} now. */
    private boolean blocked;

    /** Where the loop takes from and gives back to. */
    interface Source {
        /** Runs take.lua once; empty when the list was empty or its head was set aside. */
        CompletableFuture<Optional<Taken>> takeNow();

        /** Puts a message taken for nobody back at the head of the queue. */
        CompletableFuture<?> giveBack(Taken taken);
    }

    BlockingTake(String list, Duration timeout, Source source,
            RedisAsyncCommands<String, String> main, BlockingConnections connections,
            Timer timer, Gate gate) {
        this.list = list;
        Duration wait = timeout.compareTo(BlockingPop.LONGEST_WAIT) > 0
                ? BlockingPop.LONGEST_WAIT : timeout;
        this.deadline = System.nanoTime() + wait.toNanos();
        this.source = source;
        this.main = main;
        this.connections = connections;
        this.timer = timer;
        this.gate = gate;
    }

    /** What the caller holds: completes with the taken message, empty, or a failure. */
    CompletableFuture<Optional<Taken>> result() {
        return result;
    }

    /** Completes when this take holds nothing any more: no wait, nothing to give back. */
    CompletableFuture<Void> settled() {
        return settled;
    }

    BlockingTake start() {
        result.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                unblock(0);
            }
        });
        attempt();
        return this;
    }

    private void attempt() {
        if (result.isDone()) {
            finish();
            return;
        }
        source.takeNow().whenCompleteAsync((taken, failure) -> {
            if (failure != null) {
                fail(failure);
            } else if (taken.isPresent()) {
                hand(taken.get());
            } else if (System.nanoTime() - deadline >= 0) {
                result.complete(Optional.empty());
                finish();
            } else {
                await();
            }
        }, gate.callbacks());
    }

    private void hand(Taken taken) {
        if (result.complete(Optional.of(taken))) {
            finish();
            return;
        }
        LOG.debug("take ended before its message arrived, giving it back key={}", list);
        source.giveBack(taken).whenComplete((back, failure) -> {
            if (failure != null) {
                LOG.warn("could not give back a taken message key={}, its lease will end",
                        list, failure);
            }
            finish();
        });
    }

    private void await() {
        BlockingConnections.Lease held;
        synchronized (this) {
            held = lease;
        }
        if (held != null) {
            block(held);
            return;
        }
        connections.acquire().whenCompleteAsync((acquired, failure) -> {
            if (failure != null) {
                fail(failure);
                return;
            }
            synchronized (this) {
                lease = acquired;
            }
            block(acquired);
        }, gate.callbacks());
    }

    private void block(BlockingConnections.Lease held) {
        long left = deadline - System.nanoTime();
        synchronized (this) {
            if (result.isDone()) {
                finish();
                return;
            }
            blocked = true;
        }
        double seconds = Math.max(0.01, Math.min(left, BlockingPop.SLICE.toNanos()) / 1e9);
        held.connection().async().blmove(list, list, LMoveArgs.Builder.rightRight(), seconds)
                .whenCompleteAsync((signal, failure) -> {
                    synchronized (this) {
                        blocked = false;
                    }
                    if (failure != null) {
                        drop();
                        fail(failure);
                    } else {
                        attempt();
                    }
                }, gate.callbacks());
    }

    private void fail(Throwable failure) {
        result.completeExceptionally(gate.translate(failure));
        finish();
    }

    /** Gives back the connection, if any, and settles. */
    private void finish() {
        BlockingConnections.Lease held;
        synchronized (this) {
            held = lease;
            lease = null;
        }
        if (held != null) {
            connections.release(held, true);
        }
        settled.complete(null);
    }

    /** Closes a connection that failed under a BLMOVE rather than reuse it. */
    private void drop() {
        BlockingConnections.Lease held;
        synchronized (this) {
            held = lease;
            lease = null;
        }
        if (held != null) {
            connections.release(held, false);
        }
    }

    /** Keeps asking Redis to unblock the wait until it has or the wait is over. */
    private void unblock(int tries) {
        BlockingConnections.Lease held;
        synchronized (this) {
            held = blocked ? lease : null;
        }
        if (held == null || settled.isDone() || tries >= UNBLOCK_TRIES) {
            return;
        }
        main.clientUnblock(held.clientId(), UnblockType.TIMEOUT)
                .whenComplete((unblocked, failure) -> {
                    if (failure == null && unblocked == 0) {
                        timer.later(() -> unblock(tries + 1), UNBLOCK_PAUSE);
                    }
                });
    }
}
