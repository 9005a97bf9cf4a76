package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The guards of a node: rooms per connection, text length, connections per address, the rate
 * limit, browser origins and the password or token, with real WebSocket clients.
 */
class NodeGuardsTest {
    private static final String SECRET = "k9Xq-2mZt-77Lp";

    private final List<TestClient> clients = new ArrayList<>();
    private final MemoryBroker broker = new MemoryBroker();
    private Node node;

    @AfterEach
    void stopNode() {
        clients.forEach(TestClient::close);
        if (node != null) {
            node.close();
        }
        broker.close();
    }

    @Test
    void refusesAJoinPastTheRoomLimitUntilARoomIsLeft() {
        start(Guards.defaults().withLimits(4_000, 2, 100, 50, 200));
        TestClient ana = hello("ana");
        ana.call(new Frame.Join(2L, "uno", null, null), Frame.Joined.class);
        ana.call(new Frame.Join(3L, "dos", null, null), Frame.Joined.class);

        assertThat(ana.callForError(new Frame.Join(4L, "tres", null, null)).code())
                .isEqualTo("too_many_rooms");

        ana.call(new Frame.Leave(5L, "uno"), Frame.Left.class);
        assertThat(ana.call(new Frame.Join(6L, "tres", null, null), Frame.Joined.class).room())
                .isEqualTo("tres");
    }

    @Test
    void refusesATextLongerThanTheNodesLimitAndSaysTheLimitInWelcome() {
        start(Guards.defaults().withLimits(10, 100, 100, 50, 200));
        TestClient ana = connect(TestClient.connect(node.port()));
        ana.send(new Frame.Hello(1L, "ana", null));
        assertThat(ana.next(Frame.Welcome.class).limits().maxTextCodePoints()).isEqualTo(10);

        assertThat(ana.callForError(new Frame.Send(2L, "general", "once letras", null)).code())
                .isEqualTo("text_too_long");
        assertThat(ana.call(new Frame.Send(3L, "general", "diez letra", null), Frame.Ack.class)
                .message().text()).isEqualTo("diez letra");
    }

    @Test
    void closesTheConnectionsOfOneAddressPastItsLimitWith4006() {
        start(Guards.defaults().withLimits(4_000, 100, 2, 50, 200));
        TestClient first = hello("uno");
        hello("dos");

        TestClient third = connect(TestClient.connect(node.port()));
        assertThat(third.awaitClose()).isEqualTo(4006);
        assertThat(((Frame.Error) third.received().get(0)).message())
                .contains("too many connections");

        first.close();
        await().atMost(TestClient.WAIT).until(() -> {
            TestClient again = connect(TestClient.connect(node.port()));
            again.send(new Frame.Hello(1L, "tres", null));
            return again.next(f -> f instanceof Frame.Welcome || f instanceof Frame.Error)
                    instanceof Frame.Welcome;
        });
    }

    @Test
    void answersRequestsPastTheBurstWithRateLimitedThenClosesWith4005() {
        start(Guards.defaults().withLimits(4_000, 100, 100, 1, 5).withMaxRateRefusals(3));
        TestClient ana = connect(TestClient.connect(node.port()));
        ana.send(new Frame.Hello(1L, "ana", null));

        try {
            for (long id = 2; id <= 40 && !ana.isClosed(); id++) {
                ana.send(new Frame.Ping(id));
            }
        } catch (CompletionException closedMeanwhile) {
            assertThat(ana.awaitClose()).isEqualTo(4005);
        }

        assertThat(ana.awaitClose()).isEqualTo(4005);
        assertThat(ana.received()).filteredOn(Frame.Welcome.class::isInstance).hasSize(1);
        assertThat(ana.received()).filteredOn(Frame.Pong.class::isInstance).hasSizeBetween(4, 38);
        assertThat(ana.received()).filteredOn(Frame.Error.class::isInstance)
                .extracting(f -> ((Frame.Error) f).code()).contains("rate_limited")
                .containsOnly("rate_limited");
    }

    @Test
    void acceptsAnUpgradeWithoutOriginAndFromItsOwnOrigin() {
        start(Guards.defaults());
        String own = "http://127.0.0.1:" + node.port();

        assertThat(helloWith(Map.of()).name()).isEqualTo("ana");
        assertThat(helloWith(Map.of("Origin", own)).name()).isEqualTo("ana");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "null", "http://127.0.0.1:PORT.evil.example",
        "http://localhost:PORT", "https://127.0.0.1:PORT", "http://127.0.0.1:PORT/",
        "HTTP://127.0.0.1:PORT", "http://127.0.0.1"})
    void refusesAnUpgradeFromAnyOtherOriginWith403(String origin) {
        start(Guards.defaults());
        String sent = origin.replace("PORT", String.valueOf(node.port()));

        assertThat(refusedStatus(sent)).isEqualTo(403);
    }

    @Test
    void acceptsAnAllowedOriginExactlyAsListed() {
        start(Guards.defaults().withAllowedOrigins(Set.of("https://aula.example")));

        assertThat(helloWith(Map.of("Origin", "https://aula.example")).name()).isEqualTo("ana");
        assertThat(refusedStatus("https://aula.example.evil")).isEqualTo(403);
        assertThat(refusedStatus("https://AULA.example")).isEqualTo(403);
    }

    @Test
    void refusesAMissingOrWrongTokenWith4007BeforeAnyRoomData() {
        start(Guards.defaults().withSecret(SECRET));
        for (String query : new String[] {"", "?token=", "?token=k9Xq-2mZt-77L",
            "?token=" + SECRET + "x"}) {
            TestClient stranger = connect(TestClient.connect(url(query), Map.of()));

            assertThat(stranger.awaitClose()).isEqualTo(4007);
            assertThat(stranger.received()).singleElement()
                    .isInstanceOfSatisfying(Frame.Error.class,
                            error -> assertThat(error.code()).isEqualTo("unauthorized"));
        }
    }

    @Test
    void admitsTheRightTokenAndLogsNeitherItNorMessageBodies() {
        start(Guards.defaults().withSecret(SECRET));
        Logger logger = (Logger) LoggerFactory.getLogger("io.cartero");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.DEBUG);
        try {
            connect(TestClient.connect(url("?token=wrong-" + SECRET), Map.of())).awaitClose();
            TestClient ana = connect(TestClient.connect(url("?token=" + SECRET), Map.of()));
            ana.send(new Frame.Hello(1L, "ana", null));
            ana.next(Frame.Welcome.class);
            ana.call(new Frame.Send(2L, "general", "cuerpo-secreto-123", null), Frame.Ack.class);
            ana.close();
            await().atMost(TestClient.WAIT).until(() -> lines(logged).stream()
                    .anyMatch(line -> line.startsWith("connection closed")));
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(before);
        }

        List<String> lines = lines(logged);
        assertThat(lines).anyMatch(line -> line.startsWith("access refused")
                && line.contains("remote=127.0.0.1"));
        assertThat(lines).anyMatch(line -> line.startsWith("access granted")
                && line.contains("remote=127.0.0.1"));
        assertThat(lines).anyMatch(line -> line.startsWith("hello") && line.contains("name=ana"));
        assertThat(lines).noneMatch(line -> line.contains(SECRET))
                .noneMatch(line -> line.contains("cuerpo-secreto-123"));
    }

    private static List<String> lines(ListAppender<ILoggingEvent> logged) {
        synchronized (logged.list) {
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private void start(Guards guards) {
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0).withGuards(guards));
    }

    private URI url(String query) {
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws" + query);
    }

    private TestClient hello(String name) {
        return connect(TestClient.hello(node.port(), name));
    }

    private Frame.Welcome helloWith(Map<String, String> headers) {
        TestClient client = connect(TestClient.connect(url(""), headers));
        client.send(new Frame.Hello(1L, "ana", null));
        Frame.Welcome welcome = client.next(Frame.Welcome.class);
        client.close();
        return welcome;
    }

    private int refusedStatus(String origin) {
        try {
            connect(TestClient.connect(url(""), Map.of("Origin", origin)));
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("the upgrade from " + origin + " was accepted");
    }

    private TestClient connect(TestClient client) {
        clients.add(client);
        return client;
    }
}
