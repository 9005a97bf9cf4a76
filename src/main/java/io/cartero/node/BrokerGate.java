package io.cartero.node;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.Publish;
import io.cartero.broker.Queues;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Rooms;
import io.cartero.broker.Signal;
import io.cartero.broker.SignalListener;
import io.cartero.broker.SignalSubscription;
import io.cartero.broker.Signals;
import io.cartero.broker.Subscription;
import io.cartero.broker.Taken;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The operator's switch in front of the node's broker: while the node is cut off, every call
 * fails with {@link BrokerException} (as when the broker is unreachable), room deliveries wait
 * in the node instead of reaching connections, and signals are dropped. Restoring lets calls
 * through again and hands the waiting deliveries over in order, so subscribers see a gap and
 * then every message once. The operator's controls are the only ones who cut; otherwise it
 * only passes calls on. A restart of the broker swaps the broker behind it. Thread-safe.
 */
final class BrokerGate implements Broker {
    private static final String CUT = "this node is cut off from the broker by the operator";

    /** The broker now running; replaced when the operator restarts it. */
    private volatile Broker broker;
    private final Rooms rooms = new GatedRooms();
    private final Presence presence = new GatedPresence();
    private final Queues queues = new GatedQueues();
    private final Signals signals = new GatedSignals();
    /** Live room listeners, so that restoring can hand over what waited. */
    private final Set<GatedListener> listeners = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    BrokerGate(Broker broker) {
        this.broker = broker;
    }

    /** Cuts the node off the broker, or brings it back; returns whether anything changed. */
    boolean cut(boolean isCut) {
        if (cut == isCut) {
            return false;
        }
        cut = isCut;
        if (!isCut) {
            listeners.forEach(GatedListener::flush);
        }
        return true;
    }

    /** From now on, calls go to {@code fresh}, the broker opened again after a restart. */
    void swap(Broker fresh) {
        broker = fresh;
    }

    boolean isCut() {
        return cut;
    }

    /** Room deliveries waiting for the node to be restored, one per message and listener. */
    long waiting() {
        return listeners.stream().mapToLong(GatedListener::waiting).sum();
    }

    @Override
    public Rooms rooms() {
        return rooms;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public Queues queues() {
        return queues;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public CompletableFuture<Void> check() {
        return call(broker::check);
    }

    @Override
    public String describe() {
        return broker.describe();
    }

    /** The node never closes its broker; whoever gave it does. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("the node does not close its broker");
    }

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        return cut ? CompletableFuture.failedFuture(new BrokerException(CUT)) : request.get();
    }

    private final class GatedRooms implements Rooms {
        @Override
        public CompletableFuture<Message> publish(Publish request) {
            return call(() -> broker.rooms().publish(request));
        }

        @Override
        public CompletableFuture<Subscription> subscribe(String room, Position from,
                RoomListener listener) {
            GatedListener gated = new GatedListener(listener);
            return call(() -> broker.rooms().subscribe(room, from, gated)).thenApply(sub -> {
                listeners.add(gated);
                return new GatedSubscription(sub, gated);
            });
        }

        @Override
        public CompletableFuture<List<Message>> history(String room, long beforeOffset,
                int limit) {
            return call(() -> broker.rooms().history(room, beforeOffset, limit));
        }

        @Override
        public CompletableFuture<List<RoomInfo>> list() {
            return call(() -> broker.rooms().list());
        }
    }

    private final class GatedPresence implements Presence {
        @Override
        public CompletableFuture<Boolean> join(String room, String user) {
            return call(() -> broker.presence().join(room, user));
        }

        @Override
        public CompletableFuture<Boolean> leave(String room, String user) {
            return call(() -> broker.presence().leave(room, user));
        }

        @Override
        public CompletableFuture<Set<String>> members(String room) {
            return call(() -> broker.presence().members(room));
        }
    }

    private final class GatedQueues implements Queues {
        @Override
        public CompletableFuture<QueueMessage> push(String queue, String sender, String text) {
            return call(() -> broker.queues().push(queue, sender, text));
        }

        @Override
        public CompletableFuture<Optional<QueueMessage>> pop(String queue, Duration timeout) {
            return call(() -> broker.queues().pop(queue, timeout));
        }

        @Override
        public CompletableFuture<Optional<Taken>> take(String queue, Duration timeout,
                Duration lease) {
            return call(() -> broker.queues().take(queue, timeout, lease));
        }

        @Override
        public CompletableFuture<Boolean> confirm(String queue, String receipt) {
            return call(() -> broker.queues().confirm(queue, receipt));
        }

        @Override
        public CompletableFuture<Long> depth(String queue) {
            return call(() -> broker.queues().depth(queue));
        }
    }

    private final class GatedSignals implements Signals {
        @Override
        public CompletableFuture<Void> send(Signal signal) {
            return call(() -> broker.signals().send(signal));
        }

        @Override
        public CompletableFuture<SignalSubscription> listen(String room,
                SignalListener listener) {
            return call(() -> broker.signals().listen(room, signal -> {
                if (!cut) {
                    listener.onSignal(signal);
                }
            }));
        }
    }

    /**
     * A room listener behind the gate. Open and with nothing waiting, a message goes straight
     * through (two volatile reads, no lock); cut, it waits here until {@link #flush}.
     */
    private final class GatedListener implements RoomListener {
        private final RoomListener listener;
        /** Messages that came while cut; guarded by this. */
        private final ArrayDeque<Message> waiting = new ArrayDeque<>();
        /** Whether {@link #waiting} may hold messages; set under the lock. */
        private volatile boolean holding;
        /** Whether the last message handed on promised another one at once. */
        private volatile boolean promised;

        GatedListener(RoomListener listener) {
            this.listener = listener;
        }

        @Override
        public void onMessage(Message message) {
            onMessage(message, false);
        }

        @Override
        public void onMessage(Message message, boolean more) {
            if (!cut && !holding) {
                promised = more;
                listener.onMessage(message, more);
                return;
            }
            synchronized (this) {
                if (cut) {
                    waiting.add(message);
                    holding = true;
                    if (promised) {
                        promised = false;
                        listener.onRunEnd();
                    }
                    return;
                }
                handOver();
                listener.onMessage(message);
            }
        }

        @Override
        public void onHistoryLost(String room, String epoch, long nextOffset) {
            synchronized (this) {
                handOver();
                listener.onHistoryLost(room, epoch, nextOffset);
            }
        }

        @Override
        public void onEnd(Throwable cause) {
            listeners.remove(this);
            listener.onEnd(cause);
        }

        synchronized int waiting() {
            return waiting.size();
        }

        synchronized void flush() {
            handOver();
        }

        /** Hands over what waited, in order; called with the lock held. */
        private void handOver() {
            while (!waiting.isEmpty()) {
                listener.onMessage(waiting.poll());
            }
            holding = false;
            promised = false;
        }
    }

    /** Closing it forgets its listener too. */
    private final class GatedSubscription implements Subscription {
        private final Subscription subscription;
        private final GatedListener listener;

        GatedSubscription(Subscription subscription, GatedListener listener) {
            this.subscription = subscription;
            this.listener = listener;
        }

        @Override
        public String room() {
            return subscription.room();
        }

        @Override
        public Resume resume() {
            return subscription.resume();
        }

        @Override
        public void close() {
            listeners.remove(listener);
            subscription.close();
        }
    }
}
