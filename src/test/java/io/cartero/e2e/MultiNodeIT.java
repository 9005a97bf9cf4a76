package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.client.ClientOptions;
import io.cartero.client.NodeClient;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several real {@code cartero server} processes on one real Redis: what one node does, the
 * others see, and a client can move from one node to another without a gap.
 */
class MultiNodeIT {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String TIME = "^\\[\\d\\d:\\d\\d:\\d\\d\\] ";
    /** RedisBroker's presence entries expire 30 s after their node stopped refreshing them. */
    private static final Duration PRESENCE_EXPIRY_AND_MARGIN = Duration.ofSeconds(60);

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        Path binary = RedisProcess.binary().orElse(null);
        Assumptions.assumeTrue(binary != null,
                "no redis-server on PATH: the multi-node tests need a real Redis"
                        + " (Debian/Ubuntu: sudo apt-get install redis-server)");
        redis = RedisProcess.start(binary);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    // Every test uses names of its own: a node killed with -9 keeps its names for 30 s.

    @Test
    void aMessageSentThroughOneNodeReachesAReceiverOnTheOther() {
        try (RunningServer nodeA = node(); RunningServer nodeB = node();
                CarteroProcess receiver = CarteroProcess.start("receive", "--server",
                        nodeB.url(), "--room", "x")) {
            receiver.awaitAny("x");

            CarteroProcess sender = CarteroProcess.run("hola desde A\n", "send", "--server",
                    nodeA.url(), "--name", "sol", "--room", "x");

            assertThat(sender.awaitExit()).as(sender.errText()).isZero();
            assertThat(receiver.awaitOut(TIME + "sol: hola desde A$")).isNotNull();
        }
    }

    @Test
    void presenceOnOneNodeListsAUserOfTheOtherUntilItsNodeIsKilled() throws Exception {
        try (RunningServer nodeA = node(); RunningServer nodeB = node();
                NodeClient eva = connect(nodeA, "eva");
                NodeClient watcher = connect(nodeB, "ivo")) {
            assertThat(eva.presence().join("lobby", "eva").get(10, TimeUnit.SECONDS)).isTrue();
            await("eva on node B's presence of lobby").atMost(PATIENCE)
                    .until(() -> members(watcher, "lobby").contains("eva"));

            nodeA.process.kill();

            await("eva gone from node B's presence after node A was killed")
                    .atMost(PRESENCE_EXPIRY_AND_MARGIN).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !members(watcher, "lobby").contains("eva"));
            assertThat(members(watcher, "lobby")).doesNotContain("eva");
        }
    }

    @Test
    void clientsOfAKilledNodeMoveToTheOtherAndResumeWithNoGapAndNoDuplicate() throws Exception {
        try (RunningServer nodeA = node(); RunningServer nodeB = node();
                NodeClient sender = connect(nodeB, "bea");
                NodeClient receiver = NodeClient.connect(
                        List.of(URI.create(nodeA.url()), URI.create(nodeB.url())), "ana",
                        ClientOptions.defaults());
                CarteroProcess process = CarteroProcess.start("receive", "--server",
                        nodeA.url() + "," + nodeB.url(), "--room", "mudanza")) {
            Recorder recorder = new Recorder();
            receiver.rooms().subscribe("mudanza", Position.now(), recorder)
                    .get(10, TimeUnit.SECONDS);
            process.awaitAny("mudanza");
            publish(sender, "mudanza", "mensaje", 1, 5);
            await("the first five").atMost(PATIENCE).until(() -> recorder.texts().size() == 5);
            process.awaitOutCount(TIME + "bea: mensaje \\d+$", 5);

            nodeA.process.kill();
            publish(sender, "mudanza", "mensaje", 6, 30);

            List<String> expected = IntStream.rangeClosed(1, 30).mapToObj(i -> "mensaje " + i)
                    .toList();
            await("every message once, in order").atMost(PRESENCE_EXPIRY_AND_MARGIN)
                    .until(() -> recorder.texts().size() >= expected.size());
            assertThat(recorder.texts()).containsExactlyElementsOf(expected);
            assertThat(receiver.server().toString()).startsWith(nodeB.url());
            List<String> printed = process.awaitOutCount(TIME + "bea: mensaje \\d+$", 30);
            assertThat(printed).extracting(line -> line.replaceFirst(TIME, ""))
                    .containsExactlyElementsOf(expected.stream().map(text -> "bea: " + text)
                            .toList());
            assertThat(process.errText()).contains("reconnecting");
        }
    }

    @Test
    void aNodeStartedAgainOnTheSameRedisServesTheFullHistory() {
        RunningServer first = node();
        CarteroProcess sender = CarteroProcess.run(
                "uno\ndos\ntres\ncuatro\ncinco\n", "send", "--server", first.url(),
                "--name", "leo", "--room", "archivo");
        assertThat(sender.awaitExit()).as(sender.errText()).isZero();
        first.process.terminate();

        try (RunningServer again = node();
                CarteroProcess receiver = CarteroProcess.start("receive", "--server",
                        again.url(), "--room", "archivo", "--history", "10")) {
            List<String> lines = receiver.awaitOutCount(TIME + "leo: ", 5);

            assertThat(lines).map(l -> l.replaceFirst(TIME + "leo: ", ""))
                    .containsExactly("uno", "dos", "tres", "cuatro", "cinco");
        }
    }

    @Test
    void aFlushedRedisMakesTheNextResumeReportLostHistory() throws Exception {
        try (RunningServer node = node(); NodeClient client = connect(node, "rut");
                NodeClient sender = connect(node, "tom")) {
            Recorder recorder = new Recorder();
            Subscription first = client.rooms().subscribe("borrada", Position.now(), recorder)
                    .get(10, TimeUnit.SECONDS);
            publish(sender, "borrada", "antes", 2);
            await("both messages").atMost(PATIENCE).until(() -> recorder.texts().size() == 2);
            Position.After last = client.lastSeen("borrada").orElseThrow();

            flushAll();
            first.close();
            Subscription again = client.rooms().subscribe("borrada", last, new Recorder())
                    .get(10, TimeUnit.SECONDS);

            assertThat(again.resume().status()).isEqualTo(Resume.Status.LOST);
            assertThat(again.resume().epoch()).isNotEqualTo(last.epoch());
        }
    }

    private static RunningServer node() {
        return RunningServer.start("--broker", redis.url());
    }

    private static NodeClient connect(RunningServer node, String name) {
        return NodeClient.connect(URI.create(node.url()), name, PATIENCE);
    }

    private static List<String> members(NodeClient client, String room) throws Exception {
        return List.copyOf(client.presence().members(room).get(10, TimeUnit.SECONDS));
    }

    private static void publish(NodeClient sender, String room, String text, int count)
            throws Exception {
        publish(sender, room, text, 1, count);
    }

    private static void publish(NodeClient sender, String room, String text, int from, int to)
            throws Exception {
        for (int i : IntStream.rangeClosed(from, to).toArray()) {
            sender.rooms().publish(Publish.chat(room, sender.name(), text + " " + i))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private static void flushAll() {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().flushall()).isEqualTo("OK");
        } finally {
            client.shutdown();
        }
    }

    /** Keeps the chat messages of one subscription, and whether it ended. */
    private static final class Recorder implements RoomListener {
        private final List<Message> messages = new CopyOnWriteArrayList<>();
        private volatile boolean ended;

        @Override
        public void onMessage(Message message) {
            if (message.kind() == Kind.CHAT) {
                messages.add(message);
            }
        }

        @Override
        public void onEnd(Throwable cause) {
            ended = true;
        }

        boolean ended() {
            return ended;
        }

        List<String> texts() {
            return messages.stream().map(Message::text).toList();
        }

        List<Long> offsets() {
            return messages.stream().map(Message::offset).toList();
        }
    }
}
