package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cartero chat} in a real terminal (tmux): messages from others appear above the line
 * being typed, and that line stays intact. CI installs tmux; without it the test is skipped.
 */
class ChatUnderTmuxIT {
    private final String socket = "cartero-it-" + ProcessHandle.current().pid();
    private RunningServer server;

    @BeforeEach
    void startServer() {
        assumeThat(tmuxIsInstalled()).as("tmux is installed").isTrue();
        server = RunningServer.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            tmux("kill-server");
            server.close();
        }
    }

    @Test
    void aHalfTypedLineSurvivesIncomingMessages() {
        tmux("new-session", "-d", "-s", "chat", "-x", "100", "-y", "24",
                CarteroProcess.java() + " -Duser.language=en -jar " + CarteroProcess.jar()
                        + " chat --server " + server.url() + " --name bea --room tmux");
        await().atMost(CarteroProcess.PATIENCE).until(() -> screen().contains("tmux"));

        try (CarteroProcess receiver = CarteroProcess.start("receive", "--server",
                server.url(), "--room", "tmux")) {
            receiver.awaitAny("tmux");
            tmux("send-keys", "-t", "chat", "-l", "hola a med");
            CarteroProcess sender = CarteroProcess.run("uno\ndos\ntres\n", "send", "--server",
                    server.url(), "--name", "ana", "--room", "tmux");
            assertThat(sender.awaitExit()).isZero();

            await().atMost(CarteroProcess.PATIENCE).until(() -> screen().contains("ana: tres"));
            List<String> lines = nonEmptyLines(screen());
            assertThat(lines.get(lines.size() - 1)).endsWith("hola a med");
            assertThat(String.join("\n", lines)).contains("ana: uno", "ana: dos");
            assertThat(lines.subList(0, lines.size() - 1)).noneMatch(l -> l.contains("hola a"));

            tmux("send-keys", "-t", "chat", "-l", "io");
            tmux("send-keys", "-t", "chat", "Enter");
            assertThat(receiver.awaitOut("bea: hola a medio$")).isNotNull();
        }
    }

    private String screen() {
        return tmux("capture-pane", "-p", "-t", "chat");
    }

    private static List<String> nonEmptyLines(String screen) {
        return Arrays.stream(screen.split("\n")).map(String::stripTrailing)
                .filter(l -> !l.isEmpty()).toList();
    }

    private String tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean tmuxIsInstalled() {
        try {
            return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
