package io.cartero.cli.demo;

import io.cartero.broker.Queues;
import io.cartero.message.QueueMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A consumer of a queue, like the workshop's receiver: it pops one message after another
 * until stopped. Stopping cancels the pop that waits, which takes nothing from the queue.
 * Thread-safe: its state moves under {@code this}.
 */
final class QueueTaker {
    /** How long each pop waits before the next one; stopping does not wait for it. */
    private static final Duration POP_WAIT = Duration.ofSeconds(5);

    private final Queues queues;
    private final String queue;
    private final Consumer<QueueMessage> onMessage;
    private final Deliveries deliveries;
    private boolean running;
    private boolean busyBetweenMessages;
    private CompletableFuture<Optional<QueueMessage>> pending;

    /**
     * A consumer of {@code queue} that hands each message to {@code onMessage}, on the
     * broker's threads, and tells {@code deliveries} if the broker fails it.
     */
    QueueTaker(Queues queues, String queue, Consumer<QueueMessage> onMessage,
            Deliveries deliveries) {
        this.queues = Objects.requireNonNull(queues, "queues");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    /**
     * Makes this consumer behave like a worker busy with the job it took: after each message
     * it asks for the next one only once another consumer has taken one. With two such
     * consumers the messages alternate between them, whatever the threads' timing.
     */
    QueueTaker busyBetweenMessages() {
        synchronized (this) {
            busyBetweenMessages = true;
        }
        return this;
    }

    /** Starts taking messages. */
    void start() {
        synchronized (this) {
            running = true;
        }
        popNext();
    }

    /** Stops taking messages: the pop that waits is cancelled and nothing more is taken. */
    synchronized void stop() {
        running = false;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void popNext() {
        CompletableFuture<Optional<QueueMessage>> pop;
        synchronized (this) {
            if (!running) {
                return;
            }
            pop = queues.pop(queue, POP_WAIT);
            pending = pop;
        }
        pop.whenComplete(this::popped);
    }

    private void popped(Optional<QueueMessage> message, Throwable failure) {
        if (failure == null) {
            int before = deliveries.total();
            message.ifPresent(onMessage);
            if (message.isPresent() && isBusyBetweenMessages()) {
                CompletableFuture.runAsync(() -> popAfterAnother(before + 1));
            } else {
                popNext();
            }
            return;
        }
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (!(cause instanceof CancellationException)) {
            deliveries.fail(cause);
        }
    }

    private synchronized boolean isBusyBetweenMessages() {
        return busyBetweenMessages;
    }

    private synchronized boolean isRunning() {
        return running;
    }

    /** Waits, off the broker's threads, until more than {@code taken} messages were taken. */
    private void popAfterAnother(int taken) {
        try {
            while (isRunning() && deliveries.total() <= taken) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        popNext();
    }
}
