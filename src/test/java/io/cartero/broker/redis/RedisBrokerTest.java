package io.cartero.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerContract;
import io.cartero.broker.BrokerException;
import io.cartero.broker.NameRegistry;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Resume;
import io.cartero.broker.Signal;
import io.cartero.broker.SignalRecorder;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract against a real Redis, and what only several nodes on one Redis show. */
class RedisBrokerTest extends BrokerContract {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    @Override
    protected Broker newBroker() {
        return RedisBroker.connect(REDIS.url());
    }

    @Override
    protected Broker newBroker(int retention) {
        return RedisBroker.connect(REDIS.url(),
                RedisBroker.Settings.defaults().withRetention(retention));
    }

    @Test
    void describesItselfByItsUrl() {
        assertThat(broker.describe()).isEqualTo(REDIS.url());
    }

    @Test
    void aSignalSentThroughOneNodeReachesTheListenersOfEveryNode() throws Exception {
        String room = name("general");
        Broker other = brokerKeeping(100);
        SignalRecorder here = new SignalRecorder();
        SignalRecorder there = new SignalRecorder();
        get(broker.signals().listen(room, here));
        get(other.signals().listen(room, there));

        get(broker.signals().send(Signal.typing(room, "ana")));
        get(other.signals().send(Signal.typing(room, "luis")));

        here.await(2);
        there.await(2);
        assertThat(here.signals()).containsExactlyInAnyOrder(Signal.typing(room, "ana"),
                Signal.typing(room, "luis"));
        assertThat(there.signals()).containsExactlyInAnyOrderElementsOf(here.signals());
    }

    @Test
    void signalsOfAnotherPrefixStayApart() throws Exception {
        String room = name("general");
        Broker apart = RedisBroker.connect(REDIS.url(),
                RedisBroker.Settings.defaults().withPrefix("apart-" + room + ":"));
        SignalRecorder mine = new SignalRecorder();
        SignalRecorder theirs = new SignalRecorder();
        try {
            get(broker.signals().listen(room, mine));
            get(apart.signals().listen(room, theirs));

            get(apart.signals().send(Signal.typing(room, "eva")));
            get(broker.signals().send(Signal.typing(room, "ana")));

            mine.await(1);
            theirs.await(1);
            assertThat(mine.signals()).containsExactly(Signal.typing(room, "ana"));
            assertThat(theirs.signals()).containsExactly(Signal.typing(room, "eva"));
        } finally {
            apart.close();
        }
    }

    @Test
    void aMessagePublishedOnOneNodeReachesASubscriberOnAnother() throws Exception {
        String room = name("general");
        Broker other = brokerKeeping(100);
        Recorder recorder = new Recorder();
        get(other.rooms().subscribe(room, Position.now(), recorder));

        Message sent = publish(broker, room, "hola desde A");

        recorder.awaitMessages(1, WAIT);
        assertThat(recorder.messages()).containsExactly(sent);
    }

    @Test
    void aNameReservedOnOneNodeIsRefusedOnAnother() throws Exception {
        NameRegistry first = (NameRegistry) broker;
        NameRegistry second = (NameRegistry) brokerKeeping(100);
        String name = "ana" + ThreadLocalRandom.current().nextInt(1_000_000);

        assertThat(get(first.reserve(name, "s1"))).isTrue();
        assertThat(get(second.reserve(name, "s2"))).isFalse();

        first.release(name, "s1");
        await().atMost(WAIT)
                .until(() -> get(second.reserve(name, "s2")));
    }

    @Test
    void presenceShowsMembersFromEveryNode() throws Exception {
        String room = name("general");
        Broker other = brokerKeeping(100);

        get(broker.presence().join(room, "ana"));
        get(other.presence().join(room, "luis"));

        assertThat(get(broker.presence().members(room))).containsExactly("ana", "luis");
        assertThat(get(other.presence().members(room))).containsExactly("ana", "luis");
    }

    @Test
    void theMembersOfANodeThatStopsRefreshingExpire() throws Exception {
        String room = name("general");
        RedisBroker.Settings shortLived = RedisBroker.Settings.defaults()
                .withPresenceTtl(Duration.ofMillis(1_500));
        Broker dying = RedisBroker.connect(REDIS.url(), shortLived);
        get(dying.presence().join(room, "ana"));
        Thread.sleep(2_000);
        assertThat(get(broker.presence().members(room))).as("refreshed while alive")
                .containsExactly("ana");

        dying.close();

        await().atMost(WAIT)
                .until(() -> get(broker.presence().members(room)).isEmpty());
    }

    @Test
    void afterAFlushAResumeReportsLostHistoryWithANewEpoch() throws Exception {
        String room = name("general");
        Recorder recorder = new Recorder();
        Subscription subscription = get(broker.rooms().subscribe(room, Position.now(), recorder));
        publishMany(broker, room, 3);
        recorder.awaitMessages(3, WAIT);
        String epoch = recorder.messages().get(2).epoch();

        flushAll();
        subscription.close();
        Subscription resumed = get(broker.rooms().subscribe(room, Position.after(epoch, 3),
                new Recorder()));

        assertThat(resumed.resume().status()).isEqualTo(Resume.Status.LOST);
        assertThat(resumed.resume().epoch()).isNotEqualTo(epoch);
        assertThat(resumed.resume().lastOffset()).isZero();
    }

    @Test
    void aSubscriberThatSeesAFlushIsToldHistoryWasLost() throws Exception {
        String room = name("general");
        Recorder recorder = new Recorder();
        get(broker.rooms().subscribe(room, Position.now(), recorder));
        publishMany(broker, room, 3);
        recorder.awaitMessages(3, WAIT);

        flushAll();
        Message after = publish(broker, room, "después");

        recorder.awaitMessages(4, WAIT);
        assertThat(after.offset()).isEqualTo(1);
        assertThat(recorder.losses()).singleElement()
                .isEqualTo(new Recorder.Lost(room, after.epoch(), 1));
        assertThat(recorder.messages().get(3)).isEqualTo(after);
    }

    @Test
    void anUnreachableRedisIsABrokerExceptionNamingTheUrl() {
        assertThatThrownBy(
                () -> RedisBroker.connect("redis://127.0.0.1:1"))
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("redis://127.0.0.1:1");
    }

    @Test
    void aUrlWithoutHostOrWithABadPortIsRefused() {
        for (String bad : new String[] {"redis://", "redis://localhost:99999999", "http://x:1"}) {
            assertThatThrownBy(() -> RedisBroker.connect(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void whileRedisIsAwayOperationsFailAndAfterwardsSubscriptionsCatchUp() throws Exception {
        int port = TestRedis.Server.freePort();
        String url = "redis://127.0.0.1:" + port;
        String room = name("general");
        Recorder recorder = new Recorder();
        try (TestRedis.Server first = TestRedis.Server.start(port);
                Broker node = RedisBroker.connect(url)) {
            get(node.rooms().subscribe(room, Position.now(), recorder));
            publish(node, room, "antes");
            recorder.awaitMessages(1, WAIT);

            first.close();
            await().atMost(WAIT).untilAsserted(() -> assertThat(failureOf(
                    node.rooms().publish(Publish.chat(room, "ana", "x"))))
                    .isInstanceOf(BrokerException.class).hasMessageContaining(url));

            try (TestRedis.Server second = TestRedis.Server.start(port)) {
                Message after = await().atMost(WAIT).ignoreExceptions()
                        .until(() -> publish(node, room, "después"), m -> true);
                recorder.awaitMessages(2, WAIT);
                assertThat(recorder.messages().get(1)).isEqualTo(after);
                assertThat(recorder.losses()).singleElement()
                        .isEqualTo(new Recorder.Lost(room, after.epoch(), 1));
            }
        }
    }

    @Test
    void aPopCompletedFromOutsidePutsBackTheMessageItTook() throws Exception {
        String queue = name("tareas");
        CompletableFuture<Optional<QueueMessage>> pop = broker.queues().pop(queue, WAIT);
        pop.complete(Optional.empty());

        get(broker.queues().push(queue, "ana", "uno"));
        get(broker.queues().push(queue, "ana", "dos"));

        await().atMost(WAIT).until(() -> get(broker.queues().depth(queue)) == 2);
        assertThat(get(broker.queues().pop(queue, Duration.ZERO))).map(QueueMessage::text)
                .contains("uno");
        assertThat(get(broker.queues().pop(queue, Duration.ZERO))).map(QueueMessage::text)
                .contains("dos");
    }

    @Test
    void aSubscriberThatMovesToAnotherNodeResumesWithoutGapOrDuplicate() throws Exception {
        String room = name("general");
        Broker other = brokerKeeping(100);
        Recorder onA = new Recorder();
        Subscription first = get(broker.rooms().subscribe(room, Position.now(), onA));
        publishMany(broker, room, 5);
        onA.awaitMessages(5, WAIT);
        first.close();
        Message seen = onA.messages().get(4);

        publishMany(other, room, 3);
        Recorder onB = new Recorder();
        Subscription resumed = get(other.rooms().subscribe(room,
                Position.after(seen.epoch(), seen.offset()), onB));
        publish(broker, room, "live");

        assertThat(resumed.resume()).isEqualTo(new Resume(Resume.Status.COMPLETE, seen.epoch(), 8));
        onB.awaitMessages(4, WAIT);
        assertThat(onB.offsets()).containsExactly(6L, 7L, 8L, 9L);
    }

    @Test
    void settingsRefuseNonsense() {
        RedisBroker.Settings defaults = RedisBroker.Settings.defaults();

        assertThat(defaults.prefix()).isEqualTo("cartero:");
        assertThat(defaults.presenceTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> defaults.withRetention(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> defaults.withIdempotencyWindow(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withPresenceTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void brokersWithAnotherPrefixShareNothing() throws Exception {
        String room = name("general");
        Broker elsewhere = RedisBroker.connect(REDIS.url(),
                RedisBroker.Settings.defaults().withPrefix("otro:"));
        try (elsewhere) {
            publish(broker, room, "hola");

            assertThat(get(elsewhere.rooms().history(room, Long.MAX_VALUE, 10))).isEmpty();
            assertThat(publish(elsewhere, room, "hola").offset()).isEqualTo(1);
        }
    }

    @Test
    void cancellingAPopThatRedisHoldsBlockedLosesNoMessage() throws Exception {
        String queue = name("tareas");
        long blockedBefore = blockedClients();
        CompletableFuture<Optional<QueueMessage>> waiting = broker.queues().pop(queue, WAIT);
        await().atMost(WAIT).until(() -> blockedClients() > blockedBefore);

        waiting.cancel(false);
        get(broker.queues().push(queue, "ana", "keep me"));

        assertThat(get(broker.queues().depth(queue))).isEqualTo(1);
        assertThat(get(broker.queues().pop(queue, Duration.ZERO))).map(QueueMessage::text)
                .contains("keep me");
    }

    @Test
    void deletesEveryKeyUnderItsPrefixAndNoOtherKey() throws Exception {
        String room = name("general");
        RedisBroker.Settings settings = RedisBroker.Settings.defaults();
        try (RedisBroker doomed = RedisBroker.connect(REDIS.url(),
                        settings.withPrefix("visita*[1]:"));
                RedisBroker lookalike = RedisBroker.connect(REDIS.url(),
                        settings.withPrefix("visita11:"))) {
            publish(doomed, room, "se va");
            get(doomed.queues().push("tareas", "ana", "se va"));
            publish(lookalike, room, "se queda");
            publish(broker, room, "se queda");

            assertThat(doomed.deleteKeys()).isGreaterThan(0);

            assertThat(keysStartingWith("visita*[1]:")).isEmpty();
            assertThat(get(doomed.rooms().history(room, Long.MAX_VALUE, 10))).isEmpty();
            assertThat(get(lookalike.rooms().history(room, Long.MAX_VALUE, 10)))
                    .extracting(Message::text).containsExactly("se queda");
            assertThat(get(broker.rooms().history(room, Long.MAX_VALUE, 10)))
                    .extracting(Message::text).containsExactly("se queda");
        }
    }

    @Test
    void refusesToDeleteKeysWithoutAPrefix() {
        try (RedisBroker bare = RedisBroker.connect(REDIS.url(),
                RedisBroker.Settings.defaults().withPrefix(""))) {
            assertThatThrownBy(bare::deleteKeys).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("empty the database");
        }
    }

    private static List<String> keysStartingWith(String prefix) {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> plain = client.connect()) {
            return plain.sync().keys("*").stream().filter(key -> key.startsWith(prefix))
                    .toList();
        } finally {
            client.shutdown();
        }
    }

    private static long blockedClients() {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> plain = client.connect()) {
            String info = plain.sync().info("clients");
            return info.lines().filter(line -> line.startsWith("blocked_clients:"))
                    .mapToLong(line -> Long.parseLong(line.substring(16).strip()))
                    .findFirst().orElseThrow();
        } finally {
            client.shutdown();
        }
    }

    private static void flushAll() {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> plain = client.connect()) {
            plain.sync().flushall();
        } finally {
            client.shutdown();
        }
    }
}
