package io.cartero.node;

import io.cartero.broker.Broker;
import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.Publish;
import io.cartero.broker.Queues;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Rooms;
import io.cartero.broker.Signals;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real broker whose publishes wait at a gate until {@link #open} (a broker that has become
 * slow): everything else goes straight through. Thread-safe.
 */
final class GatedBroker implements Broker {
    private final Broker broker;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Rooms rooms = new GatedRooms();

    GatedBroker(Broker broker) {
        this.broker = broker;
    }

    /** Lets every held publish through, and later ones at once. */
    void open() {
        gate.complete(null);
    }

    /** How many publishes wait at the gate. */
    int waiting() {
        return waiting.get();
    }

    @Override
    public Rooms rooms() {
        return rooms;
    }

    @Override
    public Presence presence() {
        return broker.presence();
    }

    @Override
    public Queues queues() {
        return broker.queues();
    }

    @Override
    public Signals signals() {
        return broker.signals();
    }

    @Override
    public CompletableFuture<Void> check() {
        return broker.check();
    }

    @Override
    public String describe() {
        return "gated " + broker.describe();
    }

    @Override
    public void close() {
        broker.close();
    }

    private final class GatedRooms implements Rooms {
        @Override
        public CompletableFuture<Message> publish(Publish request) {
            waiting.incrementAndGet();
            return gate.thenCompose(ignored -> {
                waiting.decrementAndGet();
                return broker.rooms().publish(request);
            });
        }

        @Override
        public CompletableFuture<Subscription> subscribe(String room, Position from,
                RoomListener listener) {
            return broker.rooms().subscribe(room, from, listener);
        }

        @Override
        public CompletableFuture<List<Message>> history(String room, long beforeOffset,
                int limit) {
            return broker.rooms().history(room, beforeOffset, limit);
        }

        @Override
        public CompletableFuture<List<RoomInfo>> list() {
            return broker.rooms().list();
        }
    }
}
