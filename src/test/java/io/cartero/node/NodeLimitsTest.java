package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limits that protect a node from its clients, and its life cycle. */
class NodeLimitsTest {
    private final List<TestClient> clients = new ArrayList<>();
    private MemoryBroker broker;
    private Node node;

    @BeforeEach
    void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterEach
    void stopNode() {
        clients.forEach(TestClient::close);
        node.close();
        broker.close();
    }

    @Test
    void closesAClientThatStopsReadingWhileOthersKeepReceiving() {
        String room = "slow";
        TestClient fast = hello("fast");
        TestClient slow = connect(TestClient.connectPaused(node.port()));
        slow.send(new Frame.Hello(1L, "slow", null));
        slow.send(new Frame.Join(2L, room, null, null));
        fast.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        String text = "€".repeat(4_000);

        int published = 0;
        while (published < 2_000) {
            for (int i = 0; i < 100; i++) {
                broker.rooms().publish(Publish.chat(room, "bot", text)).join();
            }
            published += 100;
            int sent = published;
            await().atMost(TestClient.WAIT).until(() -> fast.messageCount() >= sent);
        }

        await().atMost(TestClient.WAIT).until(() -> broker.reserve("slow", "test").join());
        broker.release("slow", "test");
        slow.resume();
        assertThat(slow.awaitClose()).isEqualTo(4001);
        assertThat(slow.messageCount()).isLessThan(published);
        assertThat(fast.call(new Frame.Ping(9L), Frame.Pong.class).id()).isEqualTo(9L);
    }

    @Test
    void servesALargeBacklogToAClientThatReadsIt() {
        String room = "big";
        for (int i = 1; i <= 2_000; i++) {
            broker.rooms().publish(Publish.chat(room, "bot", "m" + i)).join();
        }
        TestClient reader = hello(null);

        reader.send(new Frame.Join(2L, room, null, 2_000));
        Frame.Joined joined = reader.next(Frame.Joined.class);
        List<Frame.MessageFrame> backlog = reader.messages(room, 2_000);

        assertThat(joined.lastOffset()).isEqualTo(2_000);
        assertThat(backlog.get(0).message().offset()).isEqualTo(1);
        assertThat(backlog.get(1_999).message().text()).isEqualTo("m2000");
        assertThat(reader.isClosed()).isFalse();
    }

    @Test
    void boundsOutgoingFramesAboveTheLargestBacklogAJoinMayAskFor() {
        assertThat(NodeSettings.defaults().maxPendingFrames())
                .isGreaterThan(Position.Last.MAX + 1);
    }

    @Test
    void closesAConnectionThatSendsTooManyBadFrames() {
        TestClient client = hello("noisy");

        for (int i = 0; i < 101; i++) {
            client.sendRaw("not json " + i);
        }

        assertThat(client.awaitClose()).isEqualTo(4002);
        assertThat(client.received()).filteredOn(Frame.Error.class::isInstance)
                .hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void closesAConnectionThatSendsMoreThanOneMebibyte() {
        TestClient client = hello("huge");

        client.sendRawAsync("{\"type\":\"ping\",\"pad\":\"" + "a".repeat(1024 * 1024) + "\"}");

        assertThat(client.awaitClose()).isEqualTo(1009);
        assertThat(hello("after-huge").call(new Frame.Ping(2L), Frame.Pong.class)).isNotNull();
    }

    @Test
    void pingsConnectionsAndKeepsOpenThoseThatSendFrames() {
        NodeSettings settings = withTimes(Duration.ofSeconds(1), Duration.ofMillis(200));
        try (Node pinging = Node.start(broker, broker, settings)) {
            TestClient talking = connect(TestClient.hello(pinging.port(), null));

            long id = 2;
            while (talking.pings() < 8) {
                talking.call(new Frame.Ping(id++), Frame.Pong.class);
                sleep(Duration.ofMillis(100));
            }

            assertThat(talking.isClosed()).isFalse();
            assertThat(talking.call(new Frame.Ping(id), Frame.Pong.class)).isNotNull();
        }
    }

    @Test
    void closesAConnectionSilentForTheIdleTimeoutEvenWhileItIsPinged() {
        NodeSettings settings = withTimes(Duration.ofMillis(600), Duration.ofMillis(100));
        try (Node idle = Node.start(broker, broker, settings)) {
            TestClient quiet = connect(TestClient.hello(idle.port(), null));

            assertThat(quiet.awaitClose()).isEqualTo(1001);
            assertThat(quiet.pings()).isPositive();
        }
    }

    @Test
    void closesAConnectionWithoutHelloAfterTheHelloTimeout() {
        NodeSettings settings = NodeSettings.defaults().withHost("127.0.0.1").withPort(0)
                .withHeartbeats(Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofMillis(300));
        try (Node strict = Node.start(broker, broker, settings)) {
            TestClient mute = connect(TestClient.connect(strict.port()));
            TestClient polite = connect(TestClient.hello(strict.port(), "polite"));

            assertThat(mute.awaitClose()).isEqualTo(4003);
            assertThat(polite.isClosed()).isFalse();
            assertThat(polite.call(new Frame.Ping(2L), Frame.Pong.class)).isNotNull();
            assertThat(scrape(strict)).contains("cartero_hello_timeouts_total 1.0");
        }
    }

    @Test
    void closesEveryConnectionWithRestartingWhenItStops() {
        TestClient client = hello("leaving");

        node.close();

        assertThat(client.awaitClose()).isEqualTo(1012);
    }

    @Test
    void releasesTheNameOfEveryConnectionWhenItStops() {
        hello("ana");

        node.close();

        assertThat(broker.reserve("ana", "test").join()).isTrue();
    }

    @Test
    void refusesToStartOnABusyPortNamingIt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            NodeSettings settings = NodeSettings.defaults().withHost("0.0.0.0").withPort(port);

            assertThatThrownBy(() -> Node.start(broker, broker, settings))
                    .isInstanceOfSatisfying(PortInUseException.class,
                            e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessageContaining(String.valueOf(port))
                    .hasMessageContaining("--port");
        }
    }

    @Test
    void reportsABindFailureThatIsNotABusyPortAsItIs() {
        NodeSettings settings = NodeSettings.defaults().withHost("192.0.2.1").withPort(0);

        assertThatThrownBy(() -> Node.start(broker, broker, settings))
                .isNotInstanceOf(PortInUseException.class);
    }

    @Test
    void reportsHealthWithTheBrokerAndTheConnections() throws Exception {
        hello("ana");
        hello(null);

        HttpResponse<String> response = get(node, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"status\":\"ok\",\"node\":\"" + node.id()
                + "\",\"broker\":{\"reachable\":true,\"describe\":\"memory\"},"
                + "\"connections\":2,\"uptime_s\":");
    }

    @Test
    void reportsDegradedHealthWhenTheBrokerCannotAnswer() throws Exception {
        MemoryBroker closed = new MemoryBroker();
        closed.close();
        try (Node orphan = Node.start(closed, closed, NodeSettings.defaults()
                .withHost("127.0.0.1").withPort(0))) {
            HttpResponse<String> response = get(orphan, "/health");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"status\":\"degraded\"",
                    "\"reachable\":false");
        }
    }

    @Test
    void servesMetricsInThePrometheusTextFormat() throws Exception {
        TestClient ana = hello("ana");
        TestClient bea = hello("bea");
        ana.call(new Frame.Join(2L, "metrics", null, null), Frame.Joined.class);
        bea.call(new Frame.Join(2L, "metrics", null, null), Frame.Joined.class);
        ana.call(new Frame.Send(3L, "metrics", "hola", null), Frame.Ack.class);
        bea.messages("metrics", 1);

        HttpResponse<String> response = get(node, "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("cartero_connections 2.0", "cartero_rooms 1.0",
                "cartero_messages_in_total 1.0", "cartero_fanout_latency_seconds_bucket",
                "cartero_slow_client_disconnects_total 0.0", "cartero_broker_errors_total",
                "cartero_resumes_total 0.0");
        assertThat(response.body()).containsPattern("cartero_messages_out_total [2-9]");
    }

    private static HttpResponse<String> get(Node target, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + target.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape(Node target) {
        try {
            return get(target, "/metrics").body();
        } catch (Exception e) {
            throw new AssertionError("cannot read /metrics", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static NodeSettings withTimes(Duration idleTimeout, Duration pingInterval) {
        return NodeSettings.defaults().withHost("127.0.0.1").withPort(0)
                .withHeartbeats(pingInterval, idleTimeout, Duration.ofSeconds(10));
    }

    private TestClient hello(String name) {
        return connect(TestClient.hello(node.port(), name));
    }

    private TestClient connect(TestClient client) {
        clients.add(client);
        return client;
    }
}
