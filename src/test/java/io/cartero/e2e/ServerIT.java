package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The real {@code cartero server} process: what it prints, and how it fails. */
class ServerIT {

    @Test
    void printsTheCommandThatJoinsItAndAnswersHealth() {
        try (RunningServer server = RunningServer.start()) {
            assertThat(server.health()).isEqualTo(200);
            assertThat(server.process.awaitAny("chat --server ws://127\\.0\\.0\\.1:"
                    + server.port)).isNotNull();
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
}
