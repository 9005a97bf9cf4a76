package io.cartero.broker.memory;

import io.cartero.message.QueueMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A pop waiting for a message. Whoever finishes it first wins, under the lock of its
 * {@link WorkQueue}: once the queue has handed it a message, cancelling it or completing it
 * from outside fails, so a message taken from the queue always reaches the caller. Cancelling
 * it before that withdraws it from the queue's waiters.
 */
final class PendingPop extends CompletableFuture<Optional<QueueMessage>> {
    private final WorkQueue queue;
    /** Set once the outcome is decided; guarded by the lock of {@link #queue}. */
    private boolean decided;

    PendingPop(WorkQueue queue) {
        this.queue = queue;
    }

    @Override
    public boolean complete(Optional<QueueMessage> value) {
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

    /** Hands over what the queue decided; call after {@link #decide()} returned true. */
    void deliver(Optional<QueueMessage> value) {
        super.complete(value);
    }

    /** Fails with what the queue decided; call after {@link #decide()} returned true. */
    void fail(Throwable cause) {
        super.completeExceptionally(cause);
    }
}
