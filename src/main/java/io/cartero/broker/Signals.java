package io.cartero.broker;

import java.util.concurrent.CompletableFuture;

/**
 * The signals port: ephemeral notices about a room (someone is typing) for whoever listens at
 * that moment, on every node sharing the broker. Unlike messages, a signal is never stored,
 * has no offset and is not in history: it reaches the listeners registered when it is
 * delivered, at most once each, and a listener that was away misses it for good. Nothing
 * orders signals among themselves or against messages.
 *
 * <p>Every method is thread-safe. Futures fail with
 * {@link io.cartero.message.ValidationException} for bad input and {@link BrokerException} when
 * the broker cannot take the signal (closed, or its server unreachable).
 */
public interface Signals {

    /**
     * Delivers {@code signal} to every listener of its room, on every node sharing the broker,
     * this one included. Completes once the broker has taken it, which is no promise that
     * anyone received it.
     */
    CompletableFuture<Void> send(Signal signal);

    /**
     * Registers {@code listener} for the signals of {@code room} sent from now on. The future
     * completes once a signal sent afterwards through any node of the broker reaches it.
     */
    CompletableFuture<SignalSubscription> listen(String room, SignalListener listener);
}
