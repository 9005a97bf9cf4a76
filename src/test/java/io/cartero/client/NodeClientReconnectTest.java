package io.cartero.client;

import static io.cartero.broker.BrokerContract.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.client.ConnectionState.Phase;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The node client loses its node and comes back: real nodes on free ports. */
class NodeClientReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "general";
    private static final ClientOptions FAST = ClientOptions.defaults()
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void everyMessageArrivesOnceAcrossANodeRestartThatKeepsTheBroker() throws Exception {
        MemoryBroker broker = keep(new MemoryBroker());
        Node node = start(broker, 0);
        int port = node.port();
        NodeClient reader = connect(List.of(uri(port)), "lector");
        NodeClient ana = connect(List.of(uri(port)), "ana");
        List<ConnectionState> states = statesOf(reader);
        Recorder recorder = subscribe(reader);
        publishAll(ana, 1, 10).forEach(CompletableFuture::join);

        node.close();
        List<CompletableFuture<Message>> meanwhile = publishAll(ana, 11, 20);
        keep(start(broker, port));

        meanwhile.forEach(sent -> assertThat(sent).succeedsWithin(WAIT));
        publishAll(ana, 21, 30).forEach(CompletableFuture::join);
        await().atMost(WAIT).until(() -> chats(recorder).size() >= 30);
        assertThat(chats(recorder)).extracting(Message::text)
                .containsExactlyElementsOf(texts(1, 30));
        assertThat(recorder.losses()).isEmpty();
        await().atMost(WAIT).until(() -> phases(states).contains(Phase.BACK));
        assertThat(phases(states)).startsWith(Phase.CONNECTED, Phase.RECONNECTING);
        assertThat(ana.name()).isEqualTo("ana");
    }

    @Test
    void aPublishRepeatedAfterALostReplyIsStoredOnce() throws Exception {
        MemoryBroker broker = keep(new MemoryBroker());
        Node node = start(broker, 0);
        int port = node.port();
        NodeClient ana = connect(List.of(uri(port)), "ana");
        Publish request = Publish.chat(ROOM, "ana", "una vez").withKey("clave-1");
        get(ana.rooms().publish(request));

        node.close();
        CompletableFuture<Message> again = ana.rooms().publish(request);
        keep(start(broker, port));

        assertThat(again).succeedsWithin(WAIT);
        assertThat(get(ana.rooms().history(ROOM, Long.MAX_VALUE, 10)))
                .extracting(Message::text).containsExactly("una vez");
    }

    @Test
    void aNodeRestartedWithoutItsHistoryIsToldAsHistoryLost() throws Exception {
        Node node = start(keep(new MemoryBroker()), 0);
        int port = node.port();
        NodeClient reader = connect(List.of(uri(port)), "lector");
        Recorder recorder = subscribe(reader);
        NodeClient ana = connect(List.of(uri(port)), "ana");
        get(ana.rooms().publish(Publish.chat(ROOM, "ana", "antes")));
        recorder.awaitMessages(1, WAIT);

        node.close();
        keep(start(keep(new MemoryBroker()), port));
        await().atMost(WAIT).until(() -> !recorder.losses().isEmpty());
        get(ana.rooms().publish(Publish.chat(ROOM, "ana", "después")));

        await().atMost(WAIT).until(() -> chats(recorder).size() == 2);
        List<Object> events = recorder.events().stream()
                .filter(event -> !(event instanceof Message message)
                        || message.kind() == Kind.CHAT)
                .toList();
        assertThat(events).hasSize(3);
        assertThat(events.get(1)).isInstanceOf(Recorder.Lost.class);
        assertThat(chats(recorder)).extracting(Message::text)
                .containsExactly("antes", "después");
    }

    @Test
    void connectsToTheSecondAddressWhenTheFirstIsDead() throws Exception {
        Node node = start(keep(new MemoryBroker()), 0);

        NodeClient ana = connect(List.of(uri(deadPort()), uri(node.port())), "ana");

        assertThat(ana.server()).isEqualTo(URI.create(uri(node.port()) + "/ws"));
        assertThat(ana.check()).succeedsWithin(WAIT);
    }

    @Test
    void movesToTheOtherNodeWhenItsNodeDiesAndResumesThere() throws Exception {
        MemoryBroker broker = keep(new MemoryBroker());
        Node first = start(broker, 0);
        Node second = keep(start(broker, 0));
        NodeClient reader = connect(List.of(uri(first.port()), uri(second.port())), "lector");
        NodeClient ana = connect(List.of(uri(second.port())), "ana");
        Recorder recorder = subscribe(reader);
        publishAll(ana, 1, 5).forEach(CompletableFuture::join);
        recorder.awaitMessages(5, WAIT);

        first.close();
        publishAll(ana, 6, 15).forEach(CompletableFuture::join);

        await().atMost(WAIT).until(() -> chats(recorder).size() >= 15);
        assertThat(chats(recorder)).extracting(Message::text)
                .containsExactlyElementsOf(texts(1, 15));
        assertThat(reader.server()).isEqualTo(URI.create(uri(second.port()) + "/ws"));
    }

    @ParameterizedTest
    @ValueSource(ints = {4002, 4003, 4004})
    void closeCodesThatForbidComingBackEndTheClient(int code) throws Exception {
        FakeNode fake = keep(FakeNode.closingWith(code));
        NodeClient ana = connect(List.of(fake.uri()), "ana");
        List<ConnectionState> states = statesOf(ana);
        CompletableFuture<BrokerException> disconnected = new CompletableFuture<>();
        ana.onDisconnect(disconnected::complete);

        assertThat(disconnected).succeedsWithin(WAIT).extracting(Throwable::getMessage)
                .asString().contains("code " + code);
        await().atMost(WAIT).until(() -> phases(states).contains(Phase.GAVE_UP));
        assertThat(phases(states)).doesNotContain(Phase.RECONNECTING);
        assertThat(fake.hellos()).isEqualTo(1);
    }

    @Test
    void aNodeRestartingWith1012IsReconnectedTo() throws Exception {
        FakeNode fake = keep(FakeNode.closingWith(1012));
        NodeClient ana = connect(List.of(fake.uri()), "ana");
        List<ConnectionState> states = statesOf(ana);

        await().atMost(WAIT).until(() -> phases(states).contains(Phase.BACK));
        assertThat(fake.hellos()).isEqualTo(2);
        assertThat(ana.check()).succeedsWithin(WAIT);
    }

    @Test
    void aSilentNodeIsTakenForDeadAndReconnectedTo() throws Exception {
        FakeNode fake = keep(FakeNode.fallingSilent());
        NodeClient ana = connect(List.of(fake.uri()), "ana", FAST.withHeartbeat(
                Duration.ofMillis(100), Duration.ofMillis(600)));
        List<ConnectionState> states = statesOf(ana);

        await().atMost(WAIT).until(() -> fake.hellos() >= 2);
        await().atMost(WAIT).until(() -> phases(states).contains(Phase.BACK));
        assertThat(states).filteredOn(state -> state.phase() == Phase.RECONNECTING)
                .first().extracting(ConnectionState::reason).asString()
                .contains("no frame");
    }

    @Test
    void requestsOtherThanPublishFailAtOnceWhileReconnecting() throws Exception {
        Node node = start(keep(new MemoryBroker()), 0);
        NodeClient ana = connect(List.of(uri(node.port())), "ana");
        List<ConnectionState> states = statesOf(ana);

        node.close();
        await().atMost(WAIT).until(() -> phases(states).contains(Phase.RECONNECTING));

        assertThat(ana.rooms().list()).failsWithin(WAIT);
        assertThat(ana.queues().pop("tareas", Duration.ofSeconds(30))).failsWithin(WAIT);
        assertThat(ana.check()).failsWithin(WAIT);
    }

    // ---------------------------------------------------------------- helpers

    private NodeClient connect(List<URI> servers, String name) {
        return connect(servers, name, FAST);
    }

    private NodeClient connect(List<URI> servers, String name, ClientOptions options) {
        return keep(NodeClient.connect(servers, name, options));
    }

    private Node start(MemoryBroker broker, int port) {
        return Node.start(broker, broker,
                NodeSettings.defaults().withHost("127.0.0.1").withPort(port));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Recorder subscribe(NodeClient client) throws Exception {
        Recorder recorder = new Recorder();
        get(client.rooms().subscribe(ROOM, Position.now(), recorder));
        return recorder;
    }

    private static List<Message> chats(Recorder recorder) {
        return recorder.messages().stream().filter(message -> message.kind() == Kind.CHAT)
                .toList();
    }

    private static List<ConnectionState> statesOf(NodeClient client) {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        client.onStateChange(states::add);
        return states;
    }

    private static List<Phase> phases(List<ConnectionState> states) {
        return states.stream().map(ConnectionState::phase).toList();
    }

    private static List<CompletableFuture<Message>> publishAll(NodeClient client, int from,
            int to) {
        return texts(from, to).stream()
                .map(text -> client.rooms().publish(Publish.chat(ROOM, client.name(), text)))
                .toList();
    }

    private static List<String> texts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "mensaje " + i).toList();
    }

    private static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port);
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
