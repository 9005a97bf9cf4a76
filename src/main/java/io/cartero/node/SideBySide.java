package io.cartero.node;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import io.cartero.protocol.Frame;
import io.cartero.protocol.Picture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lesson of the old workshop, run inside the node for the broker view: the same messages
 * sent to a queue and to a room, with two simulated consumers on each, and who got which. The
 * queue and the room are new ones ({@code side-by-side-XXXX}); the consumers are real broker
 * consumers (two waiting pops in a loop, two room subscriptions), so what they get is what
 * the broker does. Thread-safe; every run is independent.
 */
final class SideBySide {
    /** The most messages one run sends to each side. */
    static final int MAX_COUNT = 20;
    static final String PRODUCER = "producer";
    static final List<String> CONSUMERS = List.of("consumer-1", "consumer-2");
    private static final Logger LOG = LoggerFactory.getLogger(SideBySide.class);
    private static final Duration POP_WAIT = Duration.ofSeconds(1);
    private static final long DEADLINE_MS = 15_000;

    private final Broker broker;

    SideBySide(Broker broker) {
        this.broker = broker;
    }

    /** Sends messages 1 to {@code count} to a new queue and a new room; completes with both. */
    CompletableFuture<Frame.Comparison> run(Long requestId, int count) {
        String name = String.format(Locale.ROOT, "side-by-side-%04x",
                ThreadLocalRandom.current().nextInt(0x10000));
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        List<RoomShare> roomShares = CONSUMERS.stream().map(c -> new RoomShare(c, count)).toList();
        List<CompletableFuture<Subscription>> subscriptions = roomShares.stream()
                .map(share -> broker.rooms().subscribe(name, Position.now(), share))
                .toList();
        AtomicInteger taken = new AtomicInteger();
        List<List<Integer>> queueShares = List.of(new ArrayList<>(), new ArrayList<>());

        CompletableFuture<Void> ready = CompletableFuture.allOf(
                subscriptions.toArray(CompletableFuture[]::new));
        CompletableFuture<Void> popped = ready.thenCompose(ignored -> CompletableFuture.allOf(
                popLoop(name, queueShares.get(0), taken, count, deadline),
                popLoop(name, queueShares.get(1), taken, count, deadline)));
        CompletableFuture<Void> sent = ready.thenCompose(ignored -> send(name, 1, count));
        CompletableFuture<Void> heard = sent.thenCompose(ignored -> CompletableFuture.allOf(
                roomShares.stream().map(share -> share.done).toArray(CompletableFuture[]::new)))
                .orTimeout(DEADLINE_MS, TimeUnit.MILLISECONDS);

        return CompletableFuture.allOf(popped, heard)
                .whenComplete((ignored, failure) -> subscriptions.forEach(
                        s -> s.thenAccept(Subscription::close)))
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        throw new BrokerException("the side-by-side messages did not all arrive"
                                + " within " + DEADLINE_MS + " ms", failure);
                    }
                    return null;
                })
                .thenApply(ignored -> {
                    LOG.info("side by side sent count={} queue={} room={}", count, name, name);
                    return new Frame.Comparison(requestId, count,
                            new Picture.Semantics("queue", name, shares(queueShares)),
                            new Picture.Semantics("room", name, roomShares.stream()
                                    .map(RoomShare::share).toList()));
                });
    }

    /** Pushes and publishes message {@code next}, then the following ones, one at a time. */
    private CompletableFuture<Void> send(String name, int next, int count) {
        if (next > count) {
            return CompletableFuture.completedFuture(null);
        }
        String text = Integer.toString(next);
        return broker.queues().push(name, PRODUCER, text)
                .thenCompose(pushed -> broker.rooms().publish(new Publish(name, PRODUCER, text,
                        Kind.CHAT, null)))
                .thenCompose(published -> send(name, next + 1, count));
    }

    /** One queue consumer: pops until every message is taken or the deadline passes. */
    private CompletableFuture<Void> popLoop(String queue, List<Integer> got, AtomicInteger taken,
            int count, long deadline) {
        if (taken.get() >= count || System.currentTimeMillis() > deadline) {
            return CompletableFuture.completedFuture(null);
        }
        return broker.queues().pop(queue, POP_WAIT).thenCompose(message -> {
            record(message, got, taken);
            return popLoop(queue, got, taken, count, deadline);
        });
    }

    private static void record(Optional<QueueMessage> message, List<Integer> got,
            AtomicInteger taken) {
        message.ifPresent(m -> {
            synchronized (got) {
                got.add(Integer.parseInt(m.text()));
            }
            taken.incrementAndGet();
        });
    }

    private static List<Picture.Share> shares(List<List<Integer>> got) {
        List<Picture.Share> shares = new ArrayList<>();
        for (int i = 0; i < CONSUMERS.size(); i++) {
            synchronized (got.get(i)) {
                shares.add(new Picture.Share(CONSUMERS.get(i), List.copyOf(got.get(i))));
            }
        }
        return shares;
    }

    /** One room consumer: the chat messages it got, done when it has them all. */
    private static final class RoomShare implements RoomListener {
        private final String consumer;
        private final int count;
        private final List<Integer> got = new ArrayList<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        RoomShare(String consumer, int count) {
            this.consumer = consumer;
            this.count = count;
        }

        @Override
        public void onMessage(Message message) {
            if (message.kind() != Kind.CHAT) {
                return;
            }
            synchronized (got) {
                got.add(Integer.parseInt(message.text()));
                if (got.size() == count) {
                    done.complete(null);
                }
            }
        }

        @Override
        public void onEnd(Throwable cause) {
            done.completeExceptionally(cause);
        }

        Picture.Share share() {
            synchronized (got) {
                return new Picture.Share(consumer, List.copyOf(got));
            }
        }
    }
}
