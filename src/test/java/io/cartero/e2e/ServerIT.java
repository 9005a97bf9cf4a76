package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The real {@code cartero server} process: what it prints, and how it fails. */
class ServerIT {

    @Test
    void printsTheCommandThatJoinsItAndAnswersHealth() {
        try (RunningServer server = RunningServer.start()) {
            assertThat(server.health()).isEqualTo(200);
            assertThat(server.process.awaitAny("chat --server ws://127\\.0\\.0\\.1:"
                    + server.port)).isNotNull();
            assertThat(server.process.awaitAny("^  http://127\\.0\\.0\\.1:" + server.port
                    + "$")).isNotNull();
        }
    }

    @Test
    void servesThePageAndItsTextsFromTheJarAndNothingBesideThem() throws IOException {
        try (RunningServer server = RunningServer.start()) {
            String page = rawGet(server.port, "/");
            String spanish = rawGet(server.port, "/i18n/es.json");

            assertThat(page).startsWith("HTTP/1.1 200").contains("<html",
                    "Content-Security-Policy: default-src 'none'; script-src 'self';",
                    "X-Content-Type-Options: nosniff");
            assertThat(spanish).startsWith("HTTP/1.1 200")
                    .contains("\"server.stopped\":\"Cartero se detuvo.\"");
            for (String outside : new String[] {"/../redis/publish.lua",
                "/..%2fredis%2fpublish.lua", "/%2e%2e/redis/publish.lua",
                "/%2e%2e%2f%2e%2e%2fi18n%2fmessages.properties", "/../../logback.xml"}) {
                assertThat(rawGet(server.port, outside)).as(outside)
                        .matches("(?s)HTTP/1.1 40[04] .*")
                        .doesNotContain("redis.call", "server.running", "<configuration");
            }
        }
    }

    @Test
    void aBusyPortIsNamedWithTheWayOut() {
        try (RunningServer server = RunningServer.start()) {
            CarteroProcess second = CarteroProcess.start("server", "--host=127.0.0.1",
                    "--port=" + server.port, "--lang=en", "--broker=memory");

            assertThat(second.awaitExit()).isNotZero();
            assertThat(second.errText()).contains(String.valueOf(server.port), "--port");
            assertThat(server.health()).isEqualTo(200);
        }
    }

    @Test
    void stopsWhenTerminated() {
        RunningServer server = RunningServer.start();

        server.process.terminate();

        assertThat(server.process.isAlive()).isFalse();
        assertThat(server.health()).isEqualTo(-1);
    }

    /** The response to {@code path}, sent exactly as written. */
    private static String rawGet(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
