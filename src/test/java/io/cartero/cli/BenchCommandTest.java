package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.node.Guards;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import org.junit.jupiter.api.Test;

/** {@code cartero bench} end to end in-process: its table, its JSON and its refusals. */
class BenchCommandTest {

    @Test
    void printsATableOfARunThroughANode() {
        try (MemoryBroker broker = new MemoryBroker();
                Node node = Node.start(broker, broker, NodeSettings.defaults()
                        .withHost("127.0.0.1").withPort(0))) {
            Cli cli = new Cli();

            int exit = cli.run("bench", "--server", "ws://127.0.0.1:" + node.port(), "-S", "3",
                    "-P", "2", "--rate", "500", "--warmup", "0", "--duration", "30s",
                    "--messages", "40");

            assertThat(exit).isEqualTo(ExitCodes.OK);
            assertThat(cli.out()).contains("deliveries/s", "80 sent, 80 acknowledged",
                    "240 of 240 owed", "0 lost silently, 0 duplicated");
            assertThat(cli.err()).contains("Opening 5 connections");
        }
    }

    @Test
    void printsJsonOfARunStraightOnAMemoryBroker() throws Exception {
        Cli cli = new Cli();

        int exit = cli.run("bench", "--broker", "memory", "-S", "4", "-P", "2", "--rate", "max",
                "-w", "0s", "-d", "30s", "--messages", "100", "--json");

        assertThat(exit).isEqualTo(ExitCodes.OK);
        JsonNode figures = new ObjectMapper().readTree(cli.out());
        assertThat(figures.get("rate").asText()).isEqualTo("max");
        assertThat(figures.get("delivered").asLong()).isEqualTo(800);
        assertThat(figures.get("expected").asLong()).isEqualTo(800);
        assertThat(figures.get("lost").asLong()).isZero();
        assertThat(figures.get("duplicated").asLong()).isZero();
        assertThat(figures.get("node_cpu_us_per_delivery").isNull()).isTrue();
        assertThat(figures.get("latency_ms").get("p99").isNumber()).isTrue();
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void speaksSpanish() {
        Cli cli = new Cli();

        int exit = cli.run("bench", "--lang", "es", "--broker", "memory", "-S", "1", "-P", "1",
                "-w", "0", "-d", "30s", "--messages", "10");

        assertThat(exit).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("entregas/s", "10 de 10 debidos");
    }

    @Test
    void refusesBadNumbersWithUsageErrors() {
        assertRefused("a time such as 10s", "--duration", "diez");
        assertRefused("a time such as 10s", "--duration", "0");
        assertRefused("--rate must be max or a number", "--rate", "rapido");
        assertRefused("--rate must be max or a number", "--rate", "0");
        assertRefused("--payload must be between 1 and 4000", "--payload", "4001");
        assertRefused("--publishers must be 1 or more: 0", "--publishers", "0");
        assertRefused("--subscribers must be 0 or more: -1", "--subscribers", "-1");
        assertRefused("--idle works with --server only", "--idle", "5");
    }

    @Test
    void saysWhenNoNodeAnswers() {
        Cli cli = new Cli();

        int exit = cli.run("bench", "--server", "ws://127.0.0.1:1", "-S", "1", "-P", "1");

        assertThat(exit).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err()).contains("The benchmark could not run");
    }

    @Test
    void givesTheTokenToANodeThatWantsOneAndSaysHowWhenItIsMissing() {
        try (MemoryBroker broker = new MemoryBroker();
                Node node = Node.start(broker, broker, NodeSettings.defaults()
                        .withHost("127.0.0.1").withPort(0)
                        .withGuards(Guards.defaults().withSecret("s3cret-token")))) {
            String url = "ws://127.0.0.1:" + node.port();
            Cli without = new Cli();
            Cli with = new Cli();
            Cli inTheAddress = new Cli();

            int refused = without.run("bench", "--server", url, "-S", "1", "-P", "1",
                    "-w", "0", "-d", "30s", "--messages", "5");
            int given = with.run("bench", "--server", url, "--token", "s3cret-token", "-S", "1",
                    "-P", "1", "-w", "0", "-d", "30s", "--messages", "5");
            int fromAddress = inTheAddress.run("bench", "--server", url + "/?token=s3cret-token",
                    "-S", "1", "-P", "1", "-w", "0", "-d", "30s", "--messages", "5");

            assertThat(refused).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(without.err()).contains("unauthorized", "give it with --token");
            assertThat(given).isEqualTo(ExitCodes.OK);
            assertThat(with.out()).contains("5 of 5 owed", "0 lost silently");
            assertThat(fromAddress).isEqualTo(ExitCodes.OK);
            assertThat(inTheAddress.out()).contains("5 of 5 owed");
        }
    }

    @Test
    void saysWhichFlagLetsMoreConnectionsComeFromOneAddress() {
        try (MemoryBroker broker = new MemoryBroker();
                Node node = Node.start(broker, broker, NodeSettings.defaults()
                        .withHost("127.0.0.1").withPort(0)
                        .withGuards(Guards.defaults().withLimits(4_000, 100, 3, 500, 1_000)))) {
            Cli cli = new Cli();

            int exit = cli.run("bench", "--server", "ws://127.0.0.1:" + node.port(), "-S", "5",
                    "-P", "1", "-w", "0", "-d", "30s", "--messages", "5");

            assertThat(exit).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(cli.err()).contains("too_many_connections",
                    "--max-connections-per-address");
        }
    }

    @Test
    void refusesATlsAddressItCannotSpeak() {
        Cli cli = new Cli();

        int exit = cli.run("bench", "--server", "wss://127.0.0.1:8443", "-S", "1", "-P", "1");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("plain WebSocket (ws://) only");
    }

    private static void assertRefused(String message, String... options) {
        Cli cli = new Cli();
        String[] args = new String[options.length + 3];
        args[0] = "bench";
        args[1] = "--broker";
        args[2] = "memory";
        System.arraycopy(options, 0, args, 3, options.length);

        assertThat(cli.run(args)).as(String.join(" ", options)).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains(message);
    }
}
