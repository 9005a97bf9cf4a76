package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cartero doctor} as a process whose name lookups come from a hosts file of its own
 * ({@code jdk.net.hosts.file}), so that a name no computer has is unknown for sure and no
 * query leaves the machine.
 */
class DoctorIT {
    @TempDir
    Path dir;

    @Test
    void aNameNoComputerHasIsExplainedAndAKnownOneIsLookedUp() throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 aula-cartero\n");
        Map<String, String> lookups = Map.of("JAVA_TOOL_OPTIONS",
                "-Djdk.net.hosts.file=" + hosts);
        int closed = RunningServer.freePort();

        CarteroProcess unknown = CarteroProcess.startWith("en", lookups, "doctor", "--server",
                "ws://no-such-computer:8080");
        CarteroProcess known = CarteroProcess.startWith("es", lookups, "doctor", "--server",
                "ws://aula-cartero:" + closed);
        unknown.closeInput();
        known.closeInput();

        assertThat(unknown.awaitExit()).isEqualTo(3);
        assertThat(known.awaitExit()).isEqualTo(3);
        assertThat(unknown.outText().replaceAll("\\s+", " ")).contains(
                "✗ No computer is called no-such-computer",
                "a typo, or a name that only works on another network",
                "Use the address that ./cartero server prints");
        assertThat(known.outText()).contains("✓ El nombre aula-cartero es la dirección "
                + "127.0.0.1", "✗ Puerto " + closed + " de 127.0.0.1: conexión rechazada");
    }
}
