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
    void pingsQuietConnectionsSoThatTheyStayOpen() {
        NodeSettings settings = withTimes(Duration.ofSeconds(1), Duration.ofMillis(200));
        try (Node pinging = Node.start(broker, broker, settings)) {
            TestClient quiet = connect(TestClient.hello(pinging.port(), null));

            await().atMost(TestClient.WAIT).until(() -> quiet.pings() >= 8);

            assertThat(quiet.isClosed()).isFalse();
            assertThat(quiet.call(new Frame.Ping(2L), Frame.Pong.class)).isNotNull();
        }
    }

    @Test
    void closesAConnectionWithNoTrafficForTheIdleTimeout() {
        NodeSettings settings = withTimes(Duration.ofMillis(500), Duration.ofMinutes(1));
        try (Node idle = Node.start(broker, broker, settings)) {
            TestClient quiet = connect(TestClient.hello(idle.port(), null));

            assertThat(quiet.awaitClose()).isEqualTo(1001);
        }
    }

    @Test
    void closesEveryConnectionWithGoingAwayWhenItStops() {
        TestClient client = hello("leaving");

        node.close();

        assertThat(client.awaitClose()).isEqualTo(1001);
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
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"node\":\"" + node.id()
                + "\",\"broker\":\"memory\",\"connections\":2}");
    }

    private static NodeSettings withTimes(Duration idleTimeout, Duration pingInterval) {
        NodeSettings defaults = NodeSettings.defaults();
        return new NodeSettings("127.0.0.1", 0, defaults.maxFrameBytes(),
                defaults.maxMessageBytes(), defaults.maxPendingBytes(),
                defaults.maxPendingFrames(), defaults.maxErrors(), defaults.errorWindow(),
                idleTimeout, pingInterval);
    }

    private TestClient hello(String name) {
        return connect(TestClient.hello(node.port(), name));
    }

    private TestClient connect(TestClient client) {
        clients.add(client);
        return client;
    }
}
