package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server} started in-process, on 127.0.0.1 and a free port. */
class ServerCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern RUNNING = Pattern.compile("running on port (\\d+)");

    @TempDir
    Path data;

    @Test
    void runsUntilStoppedAndTellsHowToJoin() throws Exception {
        Cli server = new Cli();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--data", data.toString());
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        int port = portIn(server.out());

        Cli sender = new Cli();
        assertThat(sender.run("send", "-s", "localhost:" + port, "-n", "ana", "-m", "hola"))
                .isEqualTo(ExitCodes.OK);
        server.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(server.out())
                .contains("(broker: embedded, in this process; history kept on disk in "
                        + data.toAbsolutePath() + ").")
                .contains("It listens on 127.0.0.1: only this computer can reach it.")
                .contains("  http://127.0.0.1:" + port + System.lineSeparator())
                .contains("./cartero chat --server ws://127.0.0.1:" + port + " --name YOUR_NAME")
                .endsWith("Cartero stopped." + System.lineSeparator());
    }

    @Test
    void takesPortHostAndBrokerFromTheEnvironmentAndSpeaksSpanish() throws Exception {
        Cli server = new Cli().env("CARTERO_PORT", "0").env("CARTERO_HOST", "127.0.0.1")
                .env("CARTERO_BROKER", "memory");
        CompletableFuture<Integer> exit = server.start("--lang", "es", "server");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        server.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(server.out())
                .contains("Cartero está funcionando en el puerto " + portIn(server.out()))
                .contains("(broker: memory, dentro de este proceso")
                .contains("solo se puede acceder desde esta computadora")
                .contains("--name TU_NOMBRE")
                .contains("Presiona Ctrl+C para detenerlo.")
                .contains("Cartero se detuvo.");
    }

    @Test
    void namesTheBusyPortAndTheOptionToChangeIt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Cli english = new Cli();
            Cli spanish = new Cli();

            assertThat(english.run("server", "--host", "127.0.0.1", "--port", "" + port,
                    "--broker", "memory")).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(spanish.run("--lang", "es", "server", "--host", "127.0.0.1",
                    "--port", "" + port, "--data", data.toString()))
                    .isEqualTo(ExitCodes.UNREACHABLE);

            assertThat(english.err()).contains("Port " + port + " is already in use",
                    "with --port");
            assertThat(spanish.err()).contains("El puerto " + port + " ya está en uso",
                    "con --port");
        }
    }

    @Test
    void namesADataFolderInUseInBothLanguages() throws Exception {
        Cli first = new Cli();
        CompletableFuture<Integer> exit = first.start("server", "--host", "127.0.0.1",
                "--port", "0", "--data", data.toString());
        await().atMost(WAIT).until(() -> first.out().contains("Ctrl+C"));
        Cli english = new Cli();
        Cli spanish = new Cli();

        assertThat(english.run("server", "--host", "127.0.0.1", "--port", "0",
                "--data", data.toString())).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(spanish.run("--lang", "es", "server", "--host", "127.0.0.1", "--port", "0",
                "--broker", "embedded:" + data)).isEqualTo(ExitCodes.UNREACHABLE);
        first.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(english.err()).contains("The data folder " + data.toAbsolutePath(),
                "is in use", "--data");
        assertThat(spanish.err()).contains("La carpeta de datos " + data.toAbsolutePath(),
                "está en uso");
    }

    @Test
    void refusesAnUnknownFsyncPolicy() {
        Cli cli = new Cli();

        assertThat(cli.run("server", "--host", "127.0.0.1", "--port", "0", "--data",
                data.toString(), "--fsync", "sometimes")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("--fsync must be always or interval: sometimes");
    }

    static int portIn(String output) {
        Matcher matcher = RUNNING.matcher(output);
        if (!matcher.find()) {
            matcher = Pattern.compile("en el puerto (\\d+)").matcher(output);
            assertThat(matcher.find()).as(output).isTrue();
        }
        return Integer.parseInt(matcher.group(1));
    }
}
