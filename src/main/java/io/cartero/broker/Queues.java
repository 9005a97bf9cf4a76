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
 * <p>Cancelling a pending {@link #pop} or {@link #take} future never loses a message: a message
 * is only taken from the queue by a call whose future it completes.
 *
 * <p>Two ways to consume. {@link #pop} is the workshop's way, at most once: the message leaves
 * the broker when it is handed over, so a consumer that dies before handling it loses it.
 * {@link #take} and {@link #confirm} are at least once: a taken message stays in the broker,
 * leased to its consumer, until the consumer confirms it; a lease that ends unconfirmed (the
 * consumer died or is too slow) puts the message back at the head of the queue, where the
 * next {@code pop} or {@code take} gets it again. A message may then be handled twice, never
 * lost.
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

    /**
     * Takes the message at the head of {@code queue} under a lease of {@code lease}, waiting up
     * to {@code timeout} for one. Completes empty when none came in time. The message stays in
     * the broker until {@link #confirm} names its receipt; if the lease ends first, the message
     * goes back to the head of the queue. An engine notices an ended lease within a few
     * seconds of its end.
     *
     * @param lease how long the consumer may take before confirming, from 1 second to 1 hour
     */
    CompletableFuture<Optional<Taken>> take(String queue, Duration timeout, Duration lease);

    /**
     * Confirms that the message taken with {@code receipt} was handled: the broker forgets
     * it. Completes {@code true} if the lease was still held, {@code false} if the receipt is
     * unknown: confirmed already, or its lease ended and the message went back to the queue.
     */
    CompletableFuture<Boolean> confirm(String queue, String receipt);

    /** How many messages wait in {@code queue}, not counting those taken under a lease. */
    CompletableFuture<Long> depth(String queue);
}
