package io.cartero.broker.memory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A pop or a take waiting for a message. Whoever finishes it first wins, under the lock of
 * its {@link WorkQueue}: once the queue has handed it a message, cancelling it or completing
 * it from outside fails, so a message taken from the queue always reaches the caller.
 * Cancelling it before that withdraws it from the queue's waiters, and it takes nothing.
 *
 * @param <T> what the caller gets: the message for a pop, a lease for a take
 */
final class Waiter<T> extends CompletableFuture<Optional<T>> {
    private final WorkQueue queue;
    /** Turns the entry handed over into what the caller gets; runs under the queue's lock. */
    private final Function<Journal.QueueEntry, T> claim;
    /** Set once the outcome is decided; guarded by the lock of {@link #queue}. */
    private boolean decided;

    Waiter(WorkQueue queue, Function<Journal.QueueEntry, T> claim) {
        this.queue = queue;
        this.claim = claim;
    }

    @Override
    public boolean complete(Optional<T> value) {
        return queue.withdraw(this) && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable cause) {
        return queue.withdraw(this) && super.completeExceptionally(cause);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return queue.withdraw(this) ? super.cancel(mayInterruptIfRunning) : isCancelled();
    }

    /** Decides the outcome; {@code false} if it was already decided. Caller holds the lock. */
    boolean decide() {
        if (decided) {
            return false;
        }
        decided = true;
        return true;
    }

    /** Takes {@code entry} for this waiter's caller. Caller holds the lock. */
    T claim(Journal.QueueEntry entry) {
        return claim.apply(entry);
    }

    /** Hands over what the queue decided; call after {@link #decide()} returned true. */
    void deliver(Optional<T> value) {
        super.complete(value);
    }

    /** Fails with what the queue decided; call after {@link #decide()} returned true. */
    void fail(Throwable cause) {
        super.completeExceptionally(cause);
    }
}
