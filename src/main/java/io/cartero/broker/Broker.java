package io.cartero.broker;

import java.util.concurrent.CompletableFuture;

/**
 * A message broker: rooms, presence, queues and signals. Each part is a port of its own so that an
 * engine may supply some of them from elsewhere; callers depend on this interface only, never
 * on an implementation.
 */
public interface Broker extends AutoCloseable {

    /** Rooms: ordered, durable fan-out. */
    Rooms rooms();

    /** Presence: who is in each room. */
    Presence presence();

    /** Queues: each message to one consumer. */
    Queues queues();

    /** Signals: ephemeral notices about a room, such as typing, never stored. */
    Signals signals();

    /**
     * Asks the broker whether it can serve: completes when it answers, fails with
     * {@link BrokerException} when it cannot (closed, or its server unreachable). For health
     * checks; it stores nothing.
     */
    CompletableFuture<Void> check();

    /** A short description for people and logs, such as {@code memory} or a URL. */
    String describe();

    /** Stops the broker; subscriptions end and pending operations fail. Idempotent. */
    @Override
    void close();
}
