package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Publish;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault test 6: a client that stops reading in a room at 500 messages a second is closed with
 * 4001 when its outgoing buffer fills, the others get every message in order, and what the
 * node holds for it stays within the bound.
 */
class NodeSlowClientTest {
    private static final String ROOM = "rapida";
    private static final long MAX_BYTES = 256 * 1024;
    private static final int MAX_FRAMES = 2_000;
    private static final int MESSAGES = 3_000;

    private MemoryBroker broker;
    private Node node;

    @BeforeEach
    void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0).withOutgoingLimits(MAX_BYTES, MAX_FRAMES));
    }

    @AfterEach
    void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void closesAClientThatStopsReadingAndKeepsTheOthersWhole() throws Exception {
        try (TestClient ana = TestClient.hello(node.port(), "ana");
                TestClient bea = TestClient.hello(node.port(), "bea");
                Socket stuck = stuckClient()) {
            ana.call(new Frame.Join(2L, ROOM, null, null), Frame.Joined.class);
            bea.call(new Frame.Join(2L, ROOM, null, null), Frame.Joined.class);
            await().atMost(TestClient.WAIT).until(() -> broker.presence().members(ROOM).join()
                    .contains("stuck"));

            long mostHeld = publishAt500PerSecond();

            await().atMost(TestClient.WAIT).until(() -> scrape().contains(
                    "cartero_slow_client_disconnects_total 1.0"));
            assertThat(mostHeld).as("bytes held for all connections at any sample")
                    .isLessThanOrEqualTo(3 * MAX_BYTES);
            assertInOrder(ana.messages(ROOM, MESSAGES));
            assertInOrder(bea.messages(ROOM, MESSAGES));
            assertThat(node.pendingOutgoingBytes()).isLessThanOrEqualTo(3 * MAX_BYTES);
        }
    }

    /** Publishes {@link #MESSAGES} of 4,000 characters at 500 a second; returns the most held. */
    private long publishAt500PerSecond() throws InterruptedException {
        String text = "x".repeat(4_000);
        long mostHeld = 0;
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            broker.rooms().publish(Publish.chat(ROOM, "bot", text)).join();
            mostHeld = Math.max(mostHeld, node.pendingOutgoingBytes());
            long due = start + Duration.ofMillis(2L * (i + 1)).toNanos();
            long early = due - System.nanoTime();
            if (early > 0) {
                Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
            }
        }
        return mostHeld;
    }

    private static void assertInOrder(List<Frame.MessageFrame> frames) {
        long first = frames.get(0).message().offset();
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).message().offset()).isEqualTo(first + i);
        }
    }

    /**
     * A client that completes the WebSocket upgrade, says hello and joins, then never reads
     * again, so that the node's writes fill the TCP buffers and then its outbox.
     */
    private Socket stuckClient() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4_096);
        socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 10_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        readHeaders(socket.getInputStream());
        writeText(out, "{\"type\":\"hello\",\"id\":1,\"name\":\"stuck\"}");
        writeText(out, "{\"type\":\"join\",\"id\":2,\"room\":\"" + ROOM + "\"}");
        return socket;
    }

    private static void readHeaders(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the node closed during the upgrade: " + headers);
            }
            headers.append((char) b);
        }
        assertThat(headers.toString()).startsWith("HTTP/1.1 101");
    }

    /** Writes one masked text frame (shorter than 126 bytes, with a zero mask). */
    private static void writeText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
    }

    private String scrape() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + node.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new AssertionError("cannot read /metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
