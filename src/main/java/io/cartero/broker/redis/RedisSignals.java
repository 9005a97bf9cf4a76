package io.cartero.broker.redis;

import io.cartero.broker.Signal;
import io.cartero.broker.SignalFanOut;
import io.cartero.broker.SignalListener;
import io.cartero.broker.SignalSubscription;
import io.cartero.broker.Signals;
import io.cartero.message.ValidationException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals on Redis pub/sub: every signal is PUBLISHed on one channel for all rooms
 * ({@code PREFIX signals}), to which each broker's pub/sub connection is subscribed; each
 * broker hands a signal to the listeners of its room in this process, and drops it when there
 * are none. One channel rather than one per room: a chat's signals are few (the node sends at
 * most one per person and room per second), and the connection never has to subscribe or
 * unsubscribe as rooms come and go. Pub/sub keeps nothing, so a signal sent while a node is
 * cut off from Redis never reaches that node, as the port allows.
 *
 * <p>The payload is three lines: the kind, the room, the sender. Neither a kind nor a room can
 * hold a line break, and the sender is the rest. Thread-safe.
 */
final class RedisSignals implements Signals {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSignals.class);

    private final Gate gate;
    private final RedisAsyncCommands<String, String> redis;
    private final String channel;
    private final SignalFanOut fanOut;

    RedisSignals(Gate gate, RedisAsyncCommands<String, String> redis, Keys keys,
            Executor delivery) {
        this.gate = gate;
        this.redis = redis;
        this.channel = keys.signals();
        this.fanOut = new SignalFanOut(delivery);
    }

    @Override
    public CompletableFuture<Void> send(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        String payload = signal.kind() + "\n" + signal.room() + "\n" + signal.sender();
        return gate.call(() -> redis.publish(channel, payload)).thenApply(listeners -> null);
    }

    @Override
    public CompletableFuture<SignalSubscription> listen(String room, SignalListener listener) {
        Objects.requireNonNull(listener, "listener");
        return gate.call(() -> CompletableFuture.completedFuture(
                fanOut.listen(room, listener)));
    }

    /** The channel to subscribe to. */
    String channel() {
        return channel;
    }

    /** A payload that arrived on the channel; called on a Lettuce thread, so it only hands off. */
    void received(String payload) {
        String[] parts = payload.split("\n", 3);
        if (parts.length < 3 || !fanOut.isListened(parts[1])) {
            return;
        }
        Signal signal;
        try {
            signal = new Signal(parts[1], parts[2], parts[0]);
        } catch (ValidationException e) {
            LOG.debug("unreadable signal dropped channel={} reason={}", channel, e.getMessage());
            return;
        }
        fanOut.deliver(signal);
    }

    /** Drops every listener; called when the broker closes. */
    void close() {
        fanOut.clear();
    }
}
