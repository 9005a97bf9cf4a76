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
 * The real program in a real terminal of 80 columns (tmux): {@code cartero} alone shows its
 * menu, the demo chosen there waits for Enter between steps, and no line is wider than the
 * terminal. Without a terminal, {@code cartero} alone prints the usage. CI installs tmux;
 * without it the terminal test is skipped.
 */
class DemoUnderTmuxIT {
    private final Tmux tmux = new Tmux("cartero-demo-it");
    private boolean tmuxStarted;

    @BeforeEach
    void needsTmux() {
        assumeThat(Tmux.isInstalled()).as("tmux is installed").isTrue();
    }

    @AfterEach
    void stop() {
        if (tmuxStarted) {
            tmux.run("kill-server");
        }
    }

    @Test
    void theMenuRunsTheDemoStepByStepWithinEightyColumns() {
        tmux.run("new-session", "-d", "-s", "demo", "-x", "80", "-y", "40",
                CarteroProcess.java() + " -Duser.language=es -jar " + CarteroProcess.jar());
        tmuxStarted = true;
        tmux.run("set-option", "-t", "demo", "remain-on-exit", "on");
        awaitScreen("¿Qué quieres hacer?");

        tmux.run("send-keys", "-t", "demo", "3", "Enter");
        for (int step = 2; step <= 7; step++) {
            awaitScreen("Pulsa Enter para el paso " + step);
            tmux.run("send-keys", "-t", "demo", "Enter");
        }
        awaitScreen("docs/taller.md");

        List<String> lines = Arrays.asList(
                tmux.run("capture-pane", "-p", "-J", "-S", "-", "-t", "demo").split("\n"));
        assertThat(lines).contains("Esto ejecuta: ./cartero demo",
                "Después de cada paso, pulsa Enter para seguir, o escribe q y Enter para salir.",
                "  Luis (nodo B) ← pasillo: m3");
        assertThat(lines).anyMatch(line -> line.matches("  total +33 +34 +11 +3"));
        assertThat(lines).allSatisfy(line -> assertThat(line.stripTrailing()
                .codePointCount(0, line.stripTrailing().length())).as(line)
                .isLessThanOrEqualTo(80));
    }

    @Test
    void withoutATerminalItPrintsTheUsage() {
        CarteroProcess alone = CarteroProcess.run("");

        assertThat(alone.awaitExit()).isEqualTo(2);
        assertThat(alone.errText()).contains("Missing the command", "Usage: cartero",
                "demo");
    }

    private void awaitScreen(String text) {
        await().atMost(CarteroProcess.PATIENCE).until(() ->
                tmux.run("capture-pane", "-p", "-J", "-t", "demo").contains(text));
    }
}
