package io.cartero.broker;

/** A live subscription to one room; closing it stops delivery. */
public interface Subscription extends AutoCloseable {

    /** The room subscribed to. */
    String room();

    /** What the broker found when the subscription started. */
    Resume resume();

    /** Stops delivery. Idempotent; a message being delivered may still arrive. */
    @Override
    void close();
}
