package io.cartero.broker;

import io.cartero.message.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The rooms port: named, ordered, bounded streams in which every member receives every
 * message.
 *
 * <p>Ordering: within a room, offsets start at 1 for an epoch and grow by one with each stored
 * message, with no gaps. Every subscriber sees the messages in offset order, each once; when it
 * cannot (its position was dropped by retention, or the epoch changed), it is told, never left
 * with a silent gap. Publishing is atomic: a message is either stored with its offset or not
 * at all. A slow subscriber never delays publishers or other subscribers.
 *
 * <p>Every method is thread-safe. Futures fail with
 * {@link io.cartero.message.ValidationException} for bad input and {@link BrokerException} when
 * the broker cannot answer.
 */
public interface Rooms {

    /**
     * Stores a message and returns it with its offset, epoch and time. With an idempotency key
     * already used in the room within the broker's window, returns the message stored the
     * first time and stores nothing.
     */
    CompletableFuture<Message> publish(Publish request);

    /**
     * Subscribes to a room from a position. The future completes once the subscription is in
     * place; the listener then receives the backlog (if any) followed by live messages, with no
     * gap or duplicate between the two.
     */
    CompletableFuture<Subscription> subscribe(String room, Position from, RoomListener listener);

    /**
     * Up to {@code limit} messages with offsets below {@code beforeOffset}, oldest first: the
     * newest such messages the broker still keeps. {@code beforeOffset} of
     * {@link Long#MAX_VALUE} means "the latest".
     */
    CompletableFuture<List<Message>> history(String room, long beforeOffset, int limit);

    /** Every room that has messages or members, sorted by name. */
    CompletableFuture<List<RoomInfo>> list();
}
