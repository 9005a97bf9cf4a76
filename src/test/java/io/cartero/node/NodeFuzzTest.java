package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.cartero.protocol.FrameException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The frame decoder and a real node on arbitrary bytes and on hostile but well-formed frames:
 * the decoder fails only with its own error; the node answers every frame with a reply or an
 * error frame, or closes with a documented code, keeps serving, and leaks no connection.
 */
class NodeFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The close codes of {@code docs/protocol.md} a hostile client may cause. */
    private static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1009, 4002, 4003, 4005);
    private static final int MAX_FRAME_BYTES = NodeSettings.defaults().maxFrameBytes();
    private static final List<String> TYPES = List.of("hello", "join", "leave", "send",
            "history", "who", "rooms", "push", "pop", "take", "confirm", "depth", "ping",
            "welcome", "error", "message", "", "HELLO");
    private static MemoryBroker broker;
    private static Node node;

    private final FrameCodec codec = new FrameCodec();

    @BeforeContainer
    static void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterContainer
    static void stopNode() {
        node.close();
        broker.close();
    }

    @Property(tries = 1_000)
    void theDecoderFailsOnlyWithAFrameError(@ForAll("anyText") String text) {
        try {
            Frame frame = codec.decode(text);
            assertThat(frame).isNotNull();
        } catch (FrameException e) {
            assertThat(e.code()).isNotNull();
        }
    }

    @Property(tries = 1_000)
    void theDecoderFailsOnlyWithAFrameErrorOnHostileFrames(@ForAll("hostile") String text) {
        theDecoderFailsOnlyWithAFrameError(text);
    }

    @Property(tries = 60)
    void theNodeAnswersEveryFrameOrClosesWithADocumentedCode(
            @ForAll("frames") List<String> frames) {
        TestClient client = TestClient.connect(node.port());
        try {
            for (String frame : frames) {
                if (client.isClosed()) {
                    break;
                }
                if (frame.startsWith("binary:")
                        || !StandardCharsets.UTF_8.newEncoder().canEncode(frame)) {
                    // A WebSocket text frame cannot carry broken UTF-16: its bytes go as binary.
                    client.sendBinary(frame.getBytes(StandardCharsets.UTF_8));
                } else {
                    client.sendRaw(frame);
                }
            }
            client.send(new Frame.Ping(987_654L));
            await().atMost(TestClient.WAIT).until(() -> client.isClosed()
                    || client.received().stream().anyMatch(f -> Long.valueOf(987_654L)
                            .equals(f.id()) && (f instanceof Frame.Pong
                                    || f instanceof Frame.Error)));
            if (client.isClosed()) {
                assertClosedByTheNode(client, frames);
            }
        } catch (RuntimeException closedWhileSending) {
            assertClosedByTheNode(client, frames);
        } finally {
            client.close();
        }
        await().atMost(TestClient.WAIT).until(() -> node.openConnections() == 0);
        TestClient after = TestClient.hello(node.port(), null);
        assertThat(after.call(new Frame.Ping(1L), Frame.Pong.class).id()).isEqualTo(1L);
        after.close();
        await().atMost(TestClient.WAIT).until(() -> node.openConnections() == 0);
    }

    /**
     * The node closed the connection with a documented code; or, when a frame over the frame
     * limit was sent, the socket broke under the client: the node refuses such a frame from its
     * header and closes without reading the rest, so a client still writing it may see a
     * broken pipe or a reset before it reads the close frame.
     */
    private static void assertClosedByTheNode(TestClient client, List<String> frames) {
        try {
            assertThat(client.awaitClose()).isIn(DOCUMENTED_CLOSES);
        } catch (CompletionException broken) {
            assertThat(broken).hasRootCauseInstanceOf(IOException.class);
            assertThat(frames).anyMatch(frame -> frame.length() > MAX_FRAME_BYTES);
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789.-eE truefalsn\\u")
                        .ofMaxLength(200));
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0L, 1e308, -0.0, 1.5)
                        .map(n -> (Object) n),
                Arbitraries.of(Boolean.TRUE, List.of(), List.of("a", 1), "a".repeat(5_000),
                        "\u0000", "\uD800", "general", "ana", "\u001b[2J").map(v -> (Object) v));
        Arbitrary<String> key = Arbitraries.of("id", "name", "version", "session", "room",
                "text", "key", "after", "last", "before", "limit", "queue", "wait_ms",
                "lease_ms", "receipt", "epoch", "offset", "extra");
        return Arbitraries.maps(key, value).ofMaxSize(6)
                .flatMap(fields -> Arbitraries.of(TYPES).map(type -> {
                    ObjectNode node = JSON.createObjectNode().put("type", type);
                    fields.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
                    return node.toString();
                }));
    }

    @Provide
    Arbitrary<List<String>> frames() {
        Arbitrary<String> oversized = Arbitraries.of(
                "{\"type\":\"ping\",\"id\":7,\"pad\":\"" + "x".repeat(70_000) + "\"}",
                "x".repeat(1_100_000));
        Arbitrary<String> binary = Arbitraries.strings().ofMaxLength(30).map(s -> "binary:" + s);
        Arbitrary<String> one = Arbitraries.frequencyOf(
                Tuple.of(5, anyText()),
                Tuple.of(10, hostile()),
                Tuple.of(1, oversized),
                Tuple.of(1, binary));
        return one.list().ofMinSize(1).ofMaxSize(15);
    }
}
