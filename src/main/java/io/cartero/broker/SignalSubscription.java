package io.cartero.broker;

/** A listener registered for one room's signals; closing it stops delivery. */
public interface SignalSubscription extends AutoCloseable {

    /** The room listened to. */
    String room();

    /** Stops delivery. Idempotent; a signal being delivered may still arrive. */
    @Override
    void close();
}
