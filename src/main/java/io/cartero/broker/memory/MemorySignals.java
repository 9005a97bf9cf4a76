package io.cartero.broker.memory;

import io.cartero.broker.Signal;
import io.cartero.broker.SignalFanOut;
import io.cartero.broker.SignalListener;
import io.cartero.broker.SignalSubscription;
import io.cartero.broker.Signals;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Signals within this process: a signal goes straight to the listeners of its room, on a
 * delivery thread. Nothing is journaled, so the embedded broker keeps none on disk either.
 * Thread-safe.
 */
final class MemorySignals implements Signals {
    private final Lifecycle lifecycle;
    private final SignalFanOut fanOut;

    MemorySignals(Lifecycle lifecycle, Executor delivery) {
        this.lifecycle = lifecycle;
        this.fanOut = new SignalFanOut(delivery);
    }

    @Override
    public CompletableFuture<Void> send(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        return lifecycle.call(() -> {
            fanOut.deliver(signal);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<SignalSubscription> listen(String room, SignalListener listener) {
        Objects.requireNonNull(listener, "listener");
        return lifecycle.call(() -> CompletableFuture.completedFuture(
                fanOut.listen(room, listener)));
    }

    /** Drops every listener; called when the broker closes. */
    void close() {
        fanOut.clear();
    }
}
