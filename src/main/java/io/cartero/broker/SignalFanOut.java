package io.cartero.broker;

import io.cartero.message.Names;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one process, by room, and the hand-off of a signal to them: each signal is
 * delivered to a snapshot of its room's listeners by one task on the given executor, so the
 * caller never runs a listener. The part of {@link Signals} that every engine shares; how a
 * signal reaches the process is the engine's. Thread-safe.
 */
public final class SignalFanOut {
    private static final Logger LOG = LoggerFactory.getLogger(SignalFanOut.class);

    private final Executor delivery;
    /** Each room's registrations; a room's entry goes when its last one is closed. */
    private final Map<String, Set<Registered>> listeners = new ConcurrentHashMap<>();

    /** Delivers on {@code delivery}; a rejected task (the engine is stopping) drops signals. */
    public SignalFanOut(Executor delivery) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
    }

    /** Registers {@code listener} for {@code room}; the subscription removes it. */
    public SignalSubscription listen(String room, SignalListener listener) {
        Names.requireRoom(room);
        Objects.requireNonNull(listener, "listener");
        Registered registered = new Registered(room, listener);
        listeners.compute(room, (name, set) -> {
            Set<Registered> those = set == null ? new CopyOnWriteArraySet<>() : set;
            those.add(registered);
            return those;
        });
        return registered;
    }

    /** Whether anyone in this process listens to {@code room}. */
    public boolean isListened(String room) {
        return listeners.containsKey(room);
    }

    /** Hands {@code signal} to its room's listeners, away from the calling thread. */
    public void deliver(Signal signal) {
        Set<Registered> those = listeners.get(signal.room());
        if (those == null) {
            return;
        }
        try {
            delivery.execute(() -> those.forEach(each -> deliver(signal, each.listener)));
        } catch (RejectedExecutionException e) {
            LOG.debug("signal dropped, stopping room={} kind={}", signal.room(), signal.kind());
        }
    }

    /** Forgets every listener: they get nothing more. */
    public void clear() {
        listeners.clear();
    }

    private static void deliver(Signal signal, SignalListener listener) {
        try {
            listener.onSignal(signal);
        } catch (RuntimeException e) {
            LOG.warn("signal listener failed room={} kind={}", signal.room(), signal.kind(), e);
        }
    }

    private void remove(Registered registered) {
        listeners.computeIfPresent(registered.room, (name, set) -> {
            set.remove(registered);
            return set.isEmpty() ? null : set;
        });
    }

    private final class Registered implements SignalSubscription {
        private final String room;
        private final SignalListener listener;

        Registered(String room, SignalListener listener) {
            this.room = room;
            this.listener = listener;
        }

        @Override
        public String room() {
            return room;
        }

        @Override
        public void close() {
            remove(this);
        }
    }
}
