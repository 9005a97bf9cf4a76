package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Servers announce themselves with DNS-SD over multicast DNS and the terminal programs find
 * them without {@code --server}. Everything runs on the loopback interface
 * ({@code CARTERO_DISCOVERY=local}), where Linux delivers multicast between sockets of one
 * computer: no packet leaves the machine.
 */
class DiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern RUNNING = Pattern.compile("running on port (\\d+)");

    private final List<Cli> servers = new ArrayList<>();
    private final List<CompletableFuture<Integer>> exits = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        servers.forEach(Cli::stop);
        for (CompletableFuture<Integer> exit : exits) {
            assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void sendFindsTheOnlyServerWithoutBeingToldWhere() {
        int port = startServer();
        Cli sender = local();

        assertThat(sender.run("send", "--name", "ana", "-m", "hola")).isEqualTo(ExitCodes.OK);

        assertThat(sender.err()).contains("Looking for Cartero servers on the network",
                "Found a Cartero server at ws://127.0.0.1:" + port + " (node ");
        awaitMessage(port, "ana: hola");
    }

    @Test
    void aPersonAtATerminalPicksOneOfSeveralByNumberAndBadAnswersAreAskedAgain() {
        int first = startServer();
        int second = startServer();
        List<FoundServer> order = awaitAnnounced(2);
        Cli sender = local().interactive().input("dos\n7\n2\n");

        assertThat(sender.run("--lang", "es", "send", "--name", "ana", "-m", "elegido"))
                .isEqualTo(ExitCodes.OK);

        assertThat(sender.err()).contains("Se encontraron 2 servidores de Cartero:",
                "1) " + order.get(0).url(), "2) " + order.get(1).url(),
                "No es un número: dos", "Escribe un número de 1 a 2.",
                "Conectando con " + order.get(1).url());
        int chosen = order.get(1).url().endsWith(":" + first) ? first : second;
        int other = chosen == first ? second : first;
        awaitMessage(chosen, "ana: elegido");
        assertThat(new Cli().run("send", "--server", "127.0.0.1:" + other, "--name", "bea",
                "-m", "marca")).isEqualTo(ExitCodes.OK);
        assertThat(awaitMessage(other, "bea: marca")).doesNotContain("elegido");
    }

    @Test
    void withNobodyToChooseAmongSeveralItPicksNoneAndFallsBack() {
        startServer();
        startServer();
        awaitAnnounced(2);
        Cli receiver = local();

        receiver.run("receive", "--room", "general");

        assertThat(receiver.err()).contains("Found 2 Cartero servers:",
                "No server chosen; trying ws://localhost:8080. Choose one with --server.");
    }

    @Test
    void aGivenServerOrNoDiscoverySkipsTheSearch() {
        int port = startServer();
        Cli given = local();
        Cli fromEnvironment = local().env("CARTERO_SERVER", "127.0.0.1:" + port);
        Cli flag = local();

        assertThat(given.run("send", "--server", "127.0.0.1:" + port, "--name", "ana", "-m",
                "a")).isEqualTo(ExitCodes.OK);
        assertThat(fromEnvironment.run("send", "--name", "bea", "-m", "b"))
                .isEqualTo(ExitCodes.OK);
        flag.run("send", "--no-discovery", "--name", "eva", "-m", "c");

        assertThat(given.err()).doesNotContain("Looking for");
        assertThat(fromEnvironment.err()).doesNotContain("Looking for");
        assertThat(flag.err()).doesNotContain("Looking for");
    }

    @Test
    void aCommandLineThatCannotWorkFailsBeforeLooking() {
        Cli noName = local();

        assertThat(noName.run("send", "-m", "hola")).isEqualTo(ExitCodes.USAGE);

        assertThat(noName.err()).contains("Missing --name").doesNotContain("Looking for");
    }

    @Test
    void aServerWithNoAnnounceIsNotFound() throws Exception {
        Cli server = local();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory", "--no-announce");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        int port = portIn(server.out());

        List<FoundServer> found = MdnsBrowser.browse(
                List.of(InetAddress.getLoopbackAddress()), Duration.ofSeconds(2));
        server.stop();

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(found).noneMatch(s -> s.url().endsWith(":" + port));
        assertThat(server.out()).doesNotContain("announces itself");
    }

    @Test
    void anUnknownDiscoveryModeIsAUsageErrorInBothLanguages() {
        Cli english = new Cli().env(DiscoveryMode.VARIABLE, "sometimes");
        Cli spanish = new Cli().env(DiscoveryMode.VARIABLE, "sometimes");

        assertThat(english.run("send", "--name", "ana", "-m", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(spanish.run("--lang", "es", "receive")).isEqualTo(ExitCodes.USAGE);

        assertThat(english.err()).contains("CARTERO_DISCOVERY must be on, local or off: "
                + "sometimes");
        assertThat(spanish.err()).contains("CARTERO_DISCOVERY debe ser on, local u off");
    }

    /** Starts a server on loopback that announces itself there; returns its port. */
    private int startServer() {
        Cli server = local();
        exits.add(server.start("server", "--host", "127.0.0.1", "--port", "0", "--broker",
                "memory"));
        servers.add(server);
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        assertThat(server.out()).contains("It announces itself on this computer: ./cartero chat"
                + " --name YOUR_NAME finds it without --server.");
        int port = portIn(server.out());
        await().atMost(WAIT).until(() -> MdnsBrowser.browse(
                List.of(InetAddress.getLoopbackAddress()), ServerDiscovery.BROWSE_WAIT).stream()
                .anyMatch(found -> found.url().equals("ws://127.0.0.1:" + port)));
        return port;
    }

    /** The servers announced on loopback, once there are {@code count}, in the order shown. */
    private static List<FoundServer> awaitAnnounced(int count) {
        List<List<FoundServer>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(WAIT).until(() -> {
            last.set(0, MdnsBrowser.browse(List.of(InetAddress.getLoopbackAddress()),
                    ServerDiscovery.BROWSE_WAIT));
            return last.get(0).size() == count;
        });
        assertThat(last.get(0)).allSatisfy(found -> assertThat(found.local()).isTrue());
        return last.get(0);
    }

    /**
     * The room general's last messages on the server at {@code port}, as receive prints them,
     * once they include {@code expected}.
     */
    private static String awaitMessage(int port, String expected) {
        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "--server",
                "127.0.0.1:" + port, "--room", "general", "--history", "10");
        await().atMost(WAIT).until(() -> receiver.out().contains(expected));
        receiver.stop();
        assertThat(exit.join()).isEqualTo(ExitCodes.OK);
        return receiver.out();
    }

    private static Cli local() {
        return new Cli().env(DiscoveryMode.VARIABLE, "local");
    }

    private static int portIn(String output) {
        Matcher matcher = RUNNING.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
