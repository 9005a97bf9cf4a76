package io.cartero.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connecting to places where no node answers. */
class NodeClientConnectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void nothingListeningFailsNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertThatThrownBy(() -> NodeClient.connect(
                URI.create("ws://127.0.0.1:" + port), "ana", TIMEOUT))
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("ws://127.0.0.1:" + port + "/ws");
    }

    @Test
    void aServerThatIsNotANodeRefusesTheHandshake() throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("ws://127.0.0.1:" + server.getAddress().getPort());

            assertThatThrownBy(() -> NodeClient.connect(url, "ana", TIMEOUT))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageContaining(url + "/ws")
                    .hasMessageContaining("HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutNamingTheUrl() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("ws://127.0.0.1:" + silent.getLocalPort());

            assertThatThrownBy(() -> NodeClient.connect(url, "ana", Duration.ofMillis(500)))
                    .isInstanceOf(BrokerException.class)
                    .hasMessage("no answer from " + url + "/ws within 500 ms");
        }
    }

    @Test
    void anInvalidNameIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> NodeClient.connect(URI.create("ws://127.0.0.1:9"), " ana",
                TIMEOUT))
                .isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).code())
                .isEqualTo(ErrorCode.INVALID_NAME);
    }
}
