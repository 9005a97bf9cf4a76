package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real jar on one computer: {@code cartero server} in one process and
 * {@code cartero chat --name ana} in another find each other with no {@code --server}, through
 * DNS-SD over multicast DNS on the loopback interface ({@code CARTERO_DISCOVERY=local}).
 */
class DiscoveryIT {
    private static final Map<String, String> LOCAL = Map.of("CARTERO_DISCOVERY", "local");

    @Test
    void chatFindsTheServerWithoutAnAddress() {
        int port = RunningServer.freePort();
        try (CarteroProcess server = CarteroProcess.startWith("en", LOCAL, "server",
                "--host=127.0.0.1", "--port=" + port, "--broker=memory");
                CarteroProcess receiver = awaitAnnounced(server, port)) {
            CarteroProcess ana = CarteroProcess.startWith("en", LOCAL, "chat", "--name", "ana");
            ana.writeLine("hola, sin dirección");
            assertThat(receiver.awaitOut("ana: hola, sin dirección$")).isNotNull();
            ana.closeInput();

            assertThat(ana.awaitExit()).isZero();
            assertThat(ana.errText()).contains("Looking for Cartero servers on the network",
                    "Found a Cartero server at ws://127.0.0.1:" + port);
        }
    }

    /**
     * Waits until the server's announcement is answered (a send through discovery reaches
     * it), then returns a receiver on its room general.
     */
    private static CarteroProcess awaitAnnounced(CarteroProcess server, int port) {
        server.awaitOut("announces itself on this computer");
        CarteroProcess receiver = CarteroProcess.start("receive", "--server",
                "ws://127.0.0.1:" + port, "--room", "general");
        receiver.awaitAny("Ctrl\\+C");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            CarteroProcess probe = CarteroProcess.startWith("en", LOCAL, "send", "--name",
                    "sonda", "-m", "listo");
            probe.closeInput();
            return probe.awaitExit() == 0;
        });
        receiver.awaitOut("sonda: listo$");
        return receiver;
    }
}
