package io.cartero.broker;

import io.cartero.message.QueueMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The queues port: named work queues, first in first out, in which each message goes to
 * exactly one consumer. The semantics of the original workshop, kept to show how they differ
 * from a room.
 *
 * <p>Cancelling a pending {@link #pop} future never loses a message: a message is only taken
 * from the queue by a pop whose future it completes.
 *
 * <p>Every method is thread-safe. Futures fail with
 * {@link io.cartero.message.ValidationException} for bad input and {@link BrokerException} when
 * the broker cannot answer.
 */
public interface Queues {

    /** Appends a message to the tail of {@code queue}. */
    CompletableFuture<QueueMessage> push(String queue, String sender, String text);

    /**
     * Takes the message at the head of {@code queue}, waiting up to {@code timeout} for one.
     * Completes empty when none came in time.
     */
    CompletableFuture<Optional<QueueMessage>> pop(String queue, Duration timeout);

    /** How many messages wait in {@code queue}. */
    CompletableFuture<Long> depth(String queue);
}
