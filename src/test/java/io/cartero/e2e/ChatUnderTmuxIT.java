package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cartero chat} in a real terminal (tmux): messages from others appear above the line
 * being typed, and that line stays intact. CI installs tmux; without it the test is skipped.
 */
class ChatUnderTmuxIT {
    private final Tmux tmux = new Tmux("cartero-it");
    private RunningServer server;

    @BeforeEach
    void startServer() {
        assumeThat(Tmux.isInstalled()).as("tmux is installed").isTrue();
        server = RunningServer.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            tmux.run("kill-server");
            server.close();
        }
    }

    @Test
    void aHalfTypedLineSurvivesIncomingMessages() {
        tmux.run("new-session", "-d", "-s", "chat", "-x", "100", "-y", "24",
                CarteroProcess.java() + " -Duser.language=en -jar " + CarteroProcess.jar()
                        + " chat --server " + server.url() + " --name bea --room tmux");
        await().atMost(CarteroProcess.PATIENCE).until(() -> screen().contains("tmux"));

        try (CarteroProcess receiver = CarteroProcess.start("receive", "--server",
                server.url(), "--room", "tmux")) {
            receiver.awaitAny("tmux");
            tmux.run("send-keys", "-t", "chat", "-l", "hola a med");
            CarteroProcess sender = CarteroProcess.run("uno\ndos\ntres\n", "send", "--server",
                    server.url(), "--name", "ana", "--room", "tmux");
            assertThat(sender.awaitExit()).isZero();

            await().atMost(CarteroProcess.PATIENCE).until(() -> screen().contains("ana: tres"));
            List<String> lines = nonEmptyLines(screen());
            assertThat(lines.get(lines.size() - 1)).endsWith("hola a med");
            assertThat(String.join("\n", lines)).contains("ana: uno", "ana: dos");
            assertThat(lines.subList(0, lines.size() - 1)).noneMatch(l -> l.contains("hola a"));

            tmux.run("send-keys", "-t", "chat", "-l", "io");
            tmux.run("send-keys", "-t", "chat", "Enter");
            assertThat(receiver.awaitOut("bea: hola a medio$")).isNotNull();
        }
    }

    private String screen() {
        return tmux.run("capture-pane", "-p", "-t", "chat");
    }

    private static List<String> nonEmptyLines(String screen) {
        return Arrays.stream(screen.split("\n")).map(String::stripTrailing)
                .filter(l -> !l.isEmpty()).toList();
    }
}
