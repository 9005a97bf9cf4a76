package io.cartero.broker.redis;

import static io.cartero.broker.BrokerContract.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live path of rooms on Redis with several nodes on one real redis-server of this class's
 * own, so that its command counts are this class's alone: messages published whole, one tail
 * per room per node, and reads of the stream that do not grow with the subscribers.
 */
class RedisLiveFanOutTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Published at once before waiting for every subscriber: within the tails' window. */
    private static final int STEP = 250;

    private static TestRedis.Server redis;
    private static RedisClient plainClient;
    private static StatefulRedisConnection<String, String> plain;
    private final List<RedisBroker> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.Server.start();
        plainClient = RedisClient.create(url());
        plain = plainClient.connect();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        plain.close();
        plainClient.shutdown();
        redis.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(RedisBroker::close);
    }

    @Test
    void fiftySubscribersOnEachOfTwoNodesGetEveryMessageOnceInOrderAndReadsStayFew()
            throws Exception {
        RedisBroker a = node();
        RedisBroker b = node();
        String room = room();
        List<Recorder> onA = subscribe(a, room, 50);
        List<Recorder> onB = subscribe(b, room, 50);
        List<Recorder> everyone = new ArrayList<>(onA);
        everyone.addAll(onB);
        publishStepwise(List.of(a, b), room, 2, everyone);
        long readsBefore = streamReads();

        publishStepwise(List.of(a, b), room, 5_000, everyone);

        long reads = streamReads() - readsBefore;
        String epoch = onA.get(0).messages().get(0).epoch();
        for (Recorder recorder : everyone) {
            assertThat(recorder.offsets()).containsExactlyElementsOf(range(1, 5_002));
            assertThat(recorder.losses()).isEmpty();
            assertThat(recorder.messages()).allSatisfy(
                    message -> assertThat(message.epoch()).isEqualTo(epoch));
        }
        assertSameObjects(onA);
        assertSameObjects(onB);
        assertThat(reads).as("stream reads for 5,000 messages to 100 subscriptions")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void aNodeWhosePubSubConnectionIsCutCatchesUpWithNoGapAndNoDuplicate() throws Exception {
        RedisBroker a = node();
        RedisBroker b = node();
        String room = room();
        List<Recorder> everyone = new ArrayList<>(subscribe(a, room, 5));
        everyone.addAll(subscribe(b, room, 5));
        publishStepwise(List.of(a, b), room, 300, everyone);

        long cut = plain.sync().clientKill(KillArgs.Builder.typePubsub());
        List<CompletableFuture<Message>> during = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            during.add((i % 2 == 0 ? a : b).rooms()
                    .publish(Publish.chat(room, "ana", "durante " + i)));
        }
        CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get();

        assertThat(cut).isGreaterThanOrEqualTo(2);
        for (Recorder recorder : everyone) {
            recorder.awaitMessages(500, WAIT);
        }
        for (Recorder recorder : everyone) {
            assertThat(recorder.offsets()).containsExactlyElementsOf(range(1, 500));
            assertThat(recorder.losses()).isEmpty();
        }
    }

    @Test
    void aTextWithNewlinesArrivesWhole() throws Exception {
        RedisBroker a = node();
        RedisBroker b = node();
        String room = room();
        Recorder recorder = subscribe(b, room, 1).get(0);

        Message sent = get(a.rooms().publish(Publish.chat(room, "José Ñúñez",
                "línea uno\nlínea dos\n\nfin\n")));

        recorder.awaitMessages(1, WAIT);
        assertThat(recorder.messages()).containsExactly(sent);
    }

    @Test
    void anUnreadableLiveMessageMakesTheRoomReadTheStreamAndNothingIsLost() throws Exception {
        RedisBroker node = node();
        String room = room();
        Recorder recorder = subscribe(node, room, 1).get(0);
        Message first = get(node.rooms().publish(Publish.chat(room, "ana", "uno")));
        recorder.awaitMessages(1, WAIT);
        Keys keys = new Keys(RedisBroker.Settings.DEFAULT_PREFIX);

        storeUnheard(keys, room, "guardado sin aviso");
        long listeners = plain.sync().publish(keys.liveMessages(), room + "\nno es un mensaje");

        assertThat(listeners).isEqualTo(1);
        recorder.awaitMessages(2, WAIT);
        assertThat(recorder.offsets()).containsExactly(first.offset(), first.offset() + 1);
        assertThat(recorder.messages().get(1).text()).isEqualTo("guardado sin aviso");
        Message third = get(node.rooms().publish(Publish.chat(room, "ana", "tres")));
        recorder.awaitMessages(3, WAIT);
        assertThat(recorder.messages().get(2)).isEqualTo(third);
        assertThat(recorder.losses()).isEmpty();
    }

    @Test
    void theLastSubscriptionDropsTheTailAndTheNextMakesANewOneThatHearsLiveMessages()
            throws Exception {
        RedisBroker node = node();
        RedisRooms rooms = (RedisRooms) node.rooms();
        String room = room();
        Subscription first = get(rooms.subscribe(room, Position.now(), new Recorder()));
        RoomTail dropped = rooms.tail(room);

        first.close();
        Recorder recorder = new Recorder();
        get(rooms.subscribe(room, Position.now(), recorder));
        Message sent = get(node.rooms().publish(Publish.chat(room, "ana", "hola")));

        recorder.awaitMessages(1, WAIT);
        assertThat(recorder.messages()).containsExactly(sent);
        assertThat(dropped).isNotNull();
        assertThat(rooms.tail(room)).isNotNull().isNotSameAs(dropped);
        assertThat(dropped.hasSubscriptions()).isFalse();
    }

    private RedisBroker node() {
        RedisBroker node = RedisBroker.connect(url());
        nodes.add(node);
        return node;
    }

    private static String url() {
        return "redis://127.0.0.1:" + redis.port();
    }

    private static List<Recorder> subscribe(RedisBroker node, String room, int count)
            throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Recorder recorder = new Recorder();
            get(node.rooms().subscribe(room, Position.now(), recorder));
            recorders.add(recorder);
        }
        return recorders;
    }

    /**
     * Publishes {@code count} messages from the nodes in turn, {@link #STEP} at a time, each
     * step awaited by every recorder before the next, so that no subscription falls out of its
     * tail's window and every read counted is one a tail or subscription needed.
     */
    private static void publishStepwise(List<RedisBroker> from, String room, int count,
            List<Recorder> recorders) throws Exception {
        int before = recorders.get(0).messages().size();
        for (int sent = 0; sent < count; ) {
            int step = Math.min(STEP, count - sent);
            List<CompletableFuture<Message>> stored = new ArrayList<>();
            for (int i = 0; i < step; i++) {
                stored.add(from.get((sent + i) % from.size()).rooms()
                        .publish(Publish.chat(room, "ana", "m" + (before + sent + i))));
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get();
            sent += step;
            for (Recorder recorder : recorders) {
                recorder.awaitMessages(before + sent, WAIT);
            }
        }
    }

    /** Every recorder of one node holds the very same message objects: parsed once. */
    private static void assertSameObjects(List<Recorder> onOneNode) {
        List<Message> reference = onOneNode.get(0).messages();
        for (Recorder recorder : onOneNode) {
            List<Message> messages = recorder.messages();
            for (int i = 0; i < messages.size(); i++) {
                assertThat(messages.get(i)).isSameAs(reference.get(i));
            }
        }
    }

    /** Stores a message the way publish.lua does, but announced on a channel nobody hears. */
    private static void storeUnheard(Keys keys, String room, String text) throws Exception {
        get(Scripts.PUBLISH.run(plain.async(), ScriptOutputType.MULTI,
                new String[] {keys.meta(room), keys.stream(room), keys.idempotency(room, ""),
                    keys.rooms()},
                room, Epochs.next(), "ana", text, "chat", "10000", "0", "nadie-escucha"));
    }

    /** XRANGE calls so far, counted by Redis (inside scripts too). */
    private static long streamReads() {
        return plain.sync().info("commandstats").lines()
                .filter(line -> line.startsWith("cmdstat_xrange:"))
                .mapToLong(line -> Long.parseLong(
                        line.substring("cmdstat_xrange:calls=".length(), line.indexOf(','))))
                .findFirst().orElse(0);
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static String room() {
        return "aula-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }
}
