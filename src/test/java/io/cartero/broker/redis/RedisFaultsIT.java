package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cartero.broker.BrokerContract;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Resume;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis broker under faults of its Redis, each test bounded: a real {@code redis-server}
 * with {@code appendonly yes} and {@code appendfsync always} is killed with {@code kill -9} and
 * restarted on its data, restarted empty, or paused with SIGSTOP. Acknowledged messages must
 * reach every subscriber exactly once and in order, or the subscriber must be told that
 * history was lost; while Redis is away, operations fail fast with a {@link BrokerException}.
 */
@Timeout(60)
class RedisFaultsIT {
    private static final Logger LOG = LoggerFactory.getLogger(RedisFaultsIT.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final int RATE = 1_000;

    @TempDir
    Path data;

    private DurableRedis redis;
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        Path binary = DurableRedis.binary().orElse(null);
        assumeTrue(binary != null, "redis-server is not on PATH");
        redis = DurableRedis.start(binary, data);
    }

    @AfterEach
    void stop() throws Exception {
        brokers.forEach(RedisBroker::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void afterAKillEveryAcknowledgedMessageReachesEverySubscriberOnceAndInOrder()
            throws Exception {
        RedisBroker writer = open(RedisBroker.Settings.defaults());
        RedisBroker readers = open(RedisBroker.Settings.defaults());
        String room = "sala";
        List<Recorder> subscribers = subscribe(readers, room, 20, Position.now());
        Traffic traffic = new Traffic(writer, room);
        AtomicInteger beforeRestart = new AtomicInteger();

        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> {
            pause(Duration.ofSeconds(3));
            kill();
            pause(Duration.ofSeconds(2));
            beforeRestart.set(traffic.acknowledged.size());
            redis.start();
        });
        traffic.run(Duration.ofSeconds(8));
        outage.get();
        traffic.settle();
        LOG.info("traffic done acknowledged={} failed={}", traffic.acknowledged.size(),
                traffic.failures.size());

        assertThat(traffic.failures).as("publishes while Redis was away").isNotEmpty()
                .allSatisfy(failure -> assertThat(failure).isInstanceOf(BrokerException.class)
                        .hasMessageContaining(redis.url()));
        assertThat(traffic.acknowledged).as("acknowledged after the restart")
                .hasSizeGreaterThan(beforeRestart.get());
        long last = traffic.lastAcknowledged();
        for (Recorder subscriber : subscribers) {
            assertEveryAcknowledgedOnceInOrder(subscriber, traffic, last);
        }
    }

    @Test
    void afterARestartWithNoDataEverySubscriberIsToldHistoryWasLost() throws Exception {
        RedisBroker node = open(RedisBroker.Settings.defaults());
        String room = "sala";
        List<Recorder> open = subscribe(node, room, 5, Position.now());
        Recorder leaving = new Recorder();
        Subscription closing = BrokerContract.get(
                node.rooms().subscribe(room, Position.now(), leaving));
        for (int i = 0; i < 10; i++) {
            BrokerContract.get(node.rooms().publish(Publish.chat(room, "ana", "antes " + i)));
        }
        leaving.awaitMessages(10, WAIT);
        open.forEach(subscriber -> subscriber.awaitMessages(10, WAIT));
        closing.close();
        Message seen = leaving.messages().get(9);

        kill();
        await().atMost(WAIT).untilAsserted(() -> assertThat(BrokerContract.failureOf(
                node.check())).isInstanceOf(BrokerException.class)
                .hasMessageContaining("unreachable"));
        redis.wipe();
        redis.start();
        Message after = await().atMost(WAIT).ignoreExceptions().until(() -> BrokerContract.get(
                node.rooms().publish(Publish.chat(room, "ana", "después"))), m -> true);
        Subscription resumed = BrokerContract.get(node.rooms().subscribe(room,
                Position.after(seen.epoch(), seen.offset()), new Recorder()));

        assertThat(after.epoch()).isNotEqualTo(seen.epoch());
        assertThat(after.offset()).isEqualTo(1);
        assertThat(resumed.resume().status()).isEqualTo(Resume.Status.LOST);
        assertThat(resumed.resume().epoch()).isEqualTo(after.epoch());
        for (Recorder subscriber : open) {
            subscriber.awaitMessages(11, WAIT);
            assertThat(subscriber.losses()).singleElement()
                    .isEqualTo(new Recorder.Lost(room, after.epoch(), 1));
            assertThat(subscriber.events().indexOf(subscriber.losses().get(0)))
                    .as("told before the new history").isEqualTo(10);
            assertThat(subscriber.messages().get(10)).isEqualTo(after);
        }
    }

    @Test
    void whileRedisIsPausedPublishesFailFastAndAfterwardsEverythingAcknowledgedArrives()
            throws Exception {
        RedisBroker node = open(RedisBroker.Settings.defaults()
                .withCommandTimeout(Duration.ofSeconds(2)));
        String room = "sala";
        List<Recorder> subscribers = subscribe(node, room, 3, Position.now());
        List<Message> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acknowledged.add(BrokerContract.get(
                    node.rooms().publish(Publish.chat(room, "ana", "antes " + i))));
        }

        redis.pause();
        long pausedAt = System.nanoTime();
        List<CompletableFuture<Message>> during = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            during.add(node.rooms().publish(Publish.chat(room, "ana", "durante " + i)));
        }
        CompletableFuture<Void> check = node.check();
        await().atMost(Duration.ofSeconds(8)).until(() -> check.isDone()
                && during.stream().allMatch(CompletableFuture::isDone));
        assertThat(BrokerContract.failureOf(check)).isInstanceOf(BrokerException.class)
                .hasMessageContaining("did not answer in time");
        for (CompletableFuture<Message> publish : during) {
            assertThat(BrokerContract.failureOf(publish)).isInstanceOf(BrokerException.class)
                    .hasMessageContaining(redis.url());
        }
        pause(Duration.ofSeconds(10).minusNanos(System.nanoTime() - pausedAt));
        redis.resume();

        for (int i = 0; i < 20; i++) {
            acknowledged.add(await().atMost(WAIT).ignoreExceptions().until(() ->
                    BrokerContract.get(node.rooms().publish(Publish.chat(room, "ana", "tras"))),
                    m -> true));
        }
        long last = acknowledged.get(acknowledged.size() - 1).offset();
        for (Recorder subscriber : subscribers) {
            await().atMost(WAIT).until(() -> subscriber.offsets().contains(last));
            assertThat(subscriber.offsets()).isEqualTo(range(1, subscriber.offsets().size()));
            assertThat(missing(subscriber, acknowledged)).isEmpty();
            assertThat(subscriber.losses()).isEmpty();
        }
    }

    private RedisBroker open(RedisBroker.Settings settings) {
        RedisBroker broker = RedisBroker.connect(redis.url(), settings);
        brokers.add(broker);
        return broker;
    }

    private void kill() {
        try {
            redis.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing redis", e);
        }
    }

    private static List<Recorder> subscribe(RedisBroker broker, String room, int count,
            Position from) throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Recorder recorder = new Recorder();
            BrokerContract.get(broker.rooms().subscribe(room, from, recorder));
            recorders.add(recorder);
        }
        return recorders;
    }

    private static void assertEveryAcknowledgedOnceInOrder(Recorder subscriber,
            Traffic traffic, long last) {
        await().atMost(DELIVERY).until(() -> subscriber.offsets().contains(last));
        List<Long> offsets = subscriber.offsets();
        assertThat(offsets).as("each stored message once, in order, from the first")
                .isEqualTo(range(1, offsets.size()));
        assertThat(missing(subscriber, traffic.acknowledged)).isEmpty();
        assertThat(subscriber.losses()).isEmpty();
    }

    /** The acknowledged messages that {@code subscriber} did not get. */
    private static List<Message> missing(Recorder subscriber, Collection<Message> acknowledged) {
        Set<Message> received = new HashSet<>(subscriber.messages());
        return acknowledged.stream().filter(message -> !received.contains(message)).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static void pause(Duration duration) {
        if (duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Publishes at {@link #RATE} messages a second and keeps what each publish answered. */
    private static final class Traffic {
        private final RedisBroker writer;
        private final String room;
        private final List<CompletableFuture<Message>> sent = new ArrayList<>();
        final Queue<Message> acknowledged = new ConcurrentLinkedQueue<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Traffic(RedisBroker writer, String room) {
            this.writer = writer;
            this.room = room;
        }

        void run(Duration duration) {
            long start = System.nanoTime();
            long elapsed;
            while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
                long due = elapsed * RATE / 1_000_000_000L;
                while (sent.size() < due) {
                    sent.add(send("m" + sent.size()));
                }
                pause(Duration.ofMillis(2));
            }
        }

        /** Waits until every publish has answered (each within the command timeout). */
        void settle() {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .exceptionally(failure -> null).join();
        }

        long lastAcknowledged() {
            return acknowledged.stream().max(Comparator.comparingLong(Message::offset))
                    .orElseThrow().offset();
        }

        private CompletableFuture<Message> send(String text) {
            return writer.rooms().publish(Publish.chat(room, "ana", text))
                    .whenComplete((stored, failure) -> {
                        if (failure == null) {
                            acknowledged.add(stored);
                        } else {
                            failures.add(failure instanceof CompletionException
                                    ? failure.getCause() : failure);
                        }
                    });
        }
    }
}
