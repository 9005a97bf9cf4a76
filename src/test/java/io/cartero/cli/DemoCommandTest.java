package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** {@code cartero demo} as people run it: through the command line, in-process. */
class DemoCommandTest {

    @ParameterizedTest
    @EnumSource(Language.class)
    void runsStraightThroughWithAutoAndEveryStepShowsInItsLines(Language language) {
        Cli cli = new Cli();

        int exit = cli.run("--lang", language.name().toLowerCase(java.util.Locale.ROOT),
                "demo", "--auto");

        assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
        TourOutput output = new TourOutput(cli.out());
        DemoTourTest.DemoWords.of(language).assertLines(output, 11, 3);
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void withAPersonAtTheTerminalItWaitsForEnterAndLeavesWithQ() {
        Cli cli = new Cli().interactive().input("q\n");

        assertThat(cli.run("demo")).isEqualTo(ExitCodes.OK);

        TourOutput output = new TourOutput(cli.out());
        assertThat(output.has(1)).isTrue();
        assertThat(output.has(2)).isFalse();
        assertThat(cli.out()).contains("Press Enter for step 2",
                "You left the tour. Run ./cartero demo to start it again.");
    }

    @Test
    void refusesABrokerItCannotRunOn() {
        Cli cli = new Cli();

        assertThat(cli.run("demo", "--broker", "embedded")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("The demo runs on the memory broker or on a Redis",
                "not embedded.");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void saysSoWhenTheRedisDoesNotAnswer() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "demo", "--auto", "--broker",
                "redis://127.0.0.1:" + closed)).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err()).contains("No se puede conectar con Redis en redis://127.0.0.1:"
                + closed);
    }

    @Test
    void explainsItselfInHelp() {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "demo", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Uso: cartero demo", "--auto", "--broker",
                "Una visita guiada por lo que hace un broker de mensajes");
    }
}
