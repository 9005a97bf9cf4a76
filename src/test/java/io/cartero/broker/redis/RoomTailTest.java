package io.cartero.broker.redis;

import static io.cartero.broker.BrokerContract.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Resume;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room's tail against a real Redis, with its reads of the stream made at once but their
 * replies handed over only when the test says: so a read can be kept on its way while live
 * messages arrive, subscriptions join or leave, or the room's epoch changes.
 */
class RoomTailTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService delivery = Executors.newCachedThreadPool();
    private final Timer timer = new Timer();
    private final List<RedisBroker> brokers = new ArrayList<>();

    @AfterEach
    void close() {
        brokers.forEach(RedisBroker::close);
        delivery.shutdownNow();
        timer.stop();
    }

    @Test
    void aSubscriptionThatJoinsWhileTheTailReadsAGapWaitsForItAndGetsNoDuplicate()
            throws Exception {
        RedisBroker broker = broker(RedisBroker.Settings.DEFAULT_RETENTION);
        HeldReads reads = new HeldReads(broker);
        String room = room();
        String epoch = publish(broker, room, "m1").epoch();
        publish(broker, room, "m2");
        publish(broker, room, "m3");
        RoomTail tail = tail(room, epoch, 0, RoomTail.WINDOW, reads);
        Recorder early = new Recorder();
        follow(broker, tail, early, epoch, 0);

        tail.catchUp();
        Message m4 = publish(broker, room, "m4");
        tail.heard(m4);
        Recorder late = new Recorder();
        follow(broker, tail, late, epoch, 4);
        assertThat(tail.after(epoch, 0, 10)).isEmpty();
        reads.releaseNext();
        early.awaitMessages(4, WAIT);
        Message m5 = publish(broker, room, "m5");
        tail.heard(m5);

        early.awaitMessages(5, WAIT);
        late.awaitMessages(1, WAIT);
        assertThat(early.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(late.offsets()).containsExactly(5L);
        assertThat(early.messages().get(3)).isSameAs(m4);
        assertThat(late.messages().get(0)).isSameAs(m5).isSameAs(early.messages().get(4));
        assertThat(early.losses()).isEmpty();
        assertThat(late.losses()).isEmpty();
        assertThat(reads.made()).isEqualTo(1);
    }

    @Test
    void aNewEpochReachesSubscriptionsAsLostHistoryAndALateMessageOfTheOldOneIsIgnored()
            throws Exception {
        RedisBroker broker = broker(RedisBroker.Settings.DEFAULT_RETENTION);
        HeldReads reads = new HeldReads(broker);
        String room = room();
        Message old = publish(broker, room, "antes");
        RoomTail tail = tail(room, old.epoch(), 1, RoomTail.WINDOW, reads);
        Recorder recorder = new Recorder();
        follow(broker, tail, recorder, old.epoch(), 1);

        flushAll();
        Message first = publish(broker, room, "después");
        tail.heard(first);
        tail.heard(old);
        reads.releaseNext();
        reads.releaseNext();
        recorder.awaitMessages(1, WAIT);
        Message second = publish(broker, room, "otra");
        tail.heard(second);

        recorder.awaitMessages(2, WAIT);
        assertThat(first.epoch()).isNotEqualTo(old.epoch());
        assertThat(recorder.events()).containsExactly(
                new Recorder.Lost(room, first.epoch(), 1), first, second);
        assertThat(recorder.messages().get(1)).isSameAs(second);
        assertThat(tail.describe()).isEqualTo("epoch=" + first.epoch() + " first=1 last=2");
        assertThat(reads.made()).isEqualTo(2);
    }

    @Test
    void aReadThatEndsAfterTheLastSubscriptionLeftChangesNothing() throws Exception {
        RedisBroker broker = broker(RedisBroker.Settings.DEFAULT_RETENTION);
        HeldReads reads = new HeldReads(broker);
        String room = room();
        String epoch = publish(broker, room, "uno").epoch();
        publish(broker, room, "dos");
        RoomTail tail = tail(room, epoch, 0, RoomTail.WINDOW, reads);
        Recorder recorder = new Recorder();
        RedisSubscription subscription = follow(broker, tail, recorder, epoch, 0);

        tail.catchUp();
        subscription.close();
        tail.remove(subscription);
        tail.close();
        reads.releaseNext();
        tail.heard(publish(broker, room, "tres"));
        tail.catchUp();

        assertThat(tail.after(epoch, 0, 10)).isEmpty();
        assertThat(tail.hasSubscriptions()).isFalse();
        assertThat(reads.made()).isEqualTo(1);
        assertThat(reads.waiting()).isZero();
        assertThat(recorder.messages()).isEmpty();
    }

    @Test
    void aTailThatFellBehindRetentionStartsAgainAndItsSubscriptionsAreToldWhatWasLost()
            throws Exception {
        RedisBroker broker = broker(5);
        HeldReads reads = new HeldReads(broker);
        String room = room();
        Message first = publish(broker, room, "m1");
        RoomTail tail = tail(room, first.epoch(), 1, 5, reads);
        Recorder recorder = new Recorder();
        follow(broker, tail, recorder, first.epoch(), 1);

        Message newest = null;
        for (int i = 2; i <= 20; i++) {
            newest = publish(broker, room, "m" + i);
        }
        tail.heard(newest);
        reads.releaseNext();

        recorder.awaitMessages(5, WAIT);
        assertThat(recorder.events().get(0))
                .isEqualTo(new Recorder.Lost(room, first.epoch(), 16));
        assertThat(recorder.offsets()).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(tail.describe()).isEqualTo("epoch=" + first.epoch() + " first=16 last=20");
    }

    @Test
    void gapsHeardWhileAReadIsOnItsWayAskForOneMoreReadNotOneEach() throws Exception {
        RedisBroker broker = broker(RedisBroker.Settings.DEFAULT_RETENTION);
        HeldReads reads = new HeldReads(broker);
        String room = room();
        String epoch = publish(broker, room, "m1").epoch();
        publish(broker, room, "m2");
        Message m3 = publish(broker, room, "m3");
        RoomTail tail = tail(room, epoch, 0, RoomTail.WINDOW, reads);

        tail.heard(m3);
        for (int i = 4; i <= 6; i++) {
            tail.heard(publish(broker, room, "m" + i));
            tail.catchUp();
        }
        reads.releaseNext();
        reads.releaseNext();

        assertThat(tail.after(epoch, 0, 10)).extracting(Message::offset)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(reads.made()).isEqualTo(2);
        assertThat(reads.waiting()).isZero();
    }

    @Test
    void aCursorOnAnotherEpochOrBehindTheWindowIsNotServedAndOneAheadWaits() throws Exception {
        RedisBroker broker = broker(RedisBroker.Settings.DEFAULT_RETENTION);
        String room = room();
        RoomTail tail = tail(room, "abcdefghij", 0, 3, new HeldReads(broker));
        for (int offset = 1; offset <= 5; offset++) {
            tail.heard(new Message(room, offset, "abcdefghij", "ana", "m" + offset, 0,
                    Kind.CHAT));
        }

        assertThat(tail.after("abcdefghij", 1, 10)).isNull();
        assertThat(tail.after("otraepoch2", 4, 10)).isNull();
        assertThat(tail.after("abcdefghij", 2, 10)).extracting(Message::offset)
                .containsExactly(3L, 4L, 5L);
        assertThat(tail.after("abcdefghij", 2, 2)).extracting(Message::offset)
                .containsExactly(3L, 4L);
        assertThat(tail.after("abcdefghij", 5, 10)).isEmpty();
        assertThat(tail.after("abcdefghij", 9, 10)).isEmpty();
    }

    private RedisBroker broker(int retention) {
        RedisBroker broker = RedisBroker.connect(REDIS.url(),
                RedisBroker.Settings.defaults().withRetention(retention));
        brokers.add(broker);
        return broker;
    }

    private RoomTail tail(String room, String epoch, long last, int capacity, HeldReads reads) {
        return new RoomTail(room, epoch, last, capacity, reads, delivery, timer);
    }

    /** A subscription of the broker's own kind, fed by {@code tail}. */
    private RedisSubscription follow(RedisBroker broker, RoomTail tail, Recorder recorder,
            String epoch, long cursor) {
        RedisSubscription subscription = new RedisSubscription((RedisRooms) broker.rooms(),
                tail, recorder, new Resume(Resume.Status.FRESH, epoch, cursor), cursor,
                delivery);
        tail.add(subscription);
        subscription.wake();
        return subscription;
    }

    private static Message publish(RedisBroker broker, String room, String text)
            throws Exception {
        return get(broker.rooms().publish(Publish.chat(room, "ana", text)));
    }

    private static String room() {
        return "cola-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    private static void flushAll() {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> plain = client.connect()) {
            plain.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    /**
     * The broker's own reads of the stream, made when the tail asks, with each reply held
     * until {@link #releaseNext}.
     */
    private static final class HeldReads implements RoomTail.Reader {
        private final RedisRooms rooms;
        private final LinkedBlockingQueue<Runnable> replies = new LinkedBlockingQueue<>();
        private final AtomicInteger made = new AtomicInteger();

        HeldReads(RedisBroker broker) {
            this.rooms = (RedisRooms) broker.rooms();
        }

        @Override
        public CompletableFuture<RedisSubscription.Batch> read(String room, String epoch,
                long cursor, int count) {
            made.incrementAndGet();
            RedisSubscription.Batch batch;
            try {
                batch = get(rooms.read(room, epoch, cursor, count));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
            CompletableFuture<RedisSubscription.Batch> reply = new CompletableFuture<>();
            replies.add(() -> reply.complete(batch));
            return reply;
        }

        /** Hands over the oldest reply held; the tail handles it on this thread. */
        void releaseNext() throws InterruptedException {
            Runnable reply = replies.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(reply).as("a read on its way").isNotNull();
            reply.run();
        }

        int made() {
            return made.get();
        }

        int waiting() {
            return replies.size();
        }
    }
}
