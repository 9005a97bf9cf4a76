package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and usage errors: what needs no server. */
class CommandLineTest {

    @Test
    void printsHelpInEnglishByDefault() {
        Cli cli = new Cli();

        assertThat(cli.run("--help")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Usage: cartero", "Commands:", "server", "send",
                "receive", "chat", "Exit codes:", "3  network");
    }

    @Test
    void printsHelpInSpanishWithLangEs() {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "send", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Uso: cartero send", "Opciones:",
                "Envía mensajes a una sala o a una cola", "--room=SALA", "--name=NOMBRE",
                "Muestra esta ayuda y termina.", "Códigos de salida:")
                .doesNotContain("Usage:", "Show this help");
    }

    @Test
    void printsTheTopHelpInSpanishToo() {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Uso: cartero [-hV] [--lang=es|en] [COMANDO]",
                "Comandos:", "Códigos de salida:").doesNotContain("COMMAND");
    }

    @Test
    void printsHelpInSpanishOnASpanishSystem() {
        Cli cli = new Cli().locale(Locale.forLanguageTag("es-AR"));

        assertThat(cli.run("receive", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Uso: cartero receive", "a medida que llegan");
    }

    @Test
    void letsLangEnOverrideASpanishSystem() {
        Cli cli = new Cli().locale(Locale.forLanguageTag("es-AR"));

        assertThat(cli.run("chat", "--help", "--lang", "en")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Usage: cartero chat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "send", "receive", "chat"})
    void everyCommandHasHelpWithItsExitCodes(String command) {
        Cli cli = new Cli();

        assertThat(cli.run(command, "--help")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Usage: cartero " + command, "Exit codes:");
    }

    @Test
    void explainsWhereEachBrokerKeepsHistory() {
        Cli cli = new Cli();

        cli.run("server", "--help");

        assertThat(cli.out().replaceAll("\\s+", " ")).contains("embedded",
                "history lasts while the server runs", "redis://", "CARTERO_PORT", "8080");
    }

    @Test
    void printsTheVersion() {
        Cli cli = new Cli();

        assertThat(cli.run("--version")).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).startsWith("cartero ");
        assertThat(new Cli().run("send", "--version")).isEqualTo(ExitCodes.OK);
    }

    @Test
    void refusesAnUnknownOptionWithExitCode2() {
        Cli cli = new Cli();

        assertThat(cli.run("send", "--colour", "red")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Unknown option or argument: --colour",
                "Run cartero send --help");
    }

    @Test
    void refusesAMissingValueInSpanish() {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "send", "--server")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Falta un valor obligatorio: --server",
                "Escribe cartero send --help");
    }

    @Test
    void refusesRoomAndQueueTogether() {
        Cli cli = new Cli();

        assertThat(cli.run("receive", "--room", "a", "--queue", "b")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Choose --room or --queue, not both.");
    }

    @Test
    void refusesAPortThatIsNotANumber() {
        Cli cli = new Cli();

        assertThat(cli.run("server", "--port", "ochenta")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Invalid value for --port: ochenta");
    }

    @Test
    void refusesAPortOutOfRange() {
        Cli cli = new Cli();

        assertThat(cli.run("server", "--port", "70000")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("The port must be between 0 and 65535: 70000");
    }

    @Test
    void refusesAHostThatIsNotThisComputers() {
        Cli cli = new Cli();

        assertThat(cli.run("server", "--host", "192.0.2.123", "--port", "0"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("192.0.2.123 is not an address of this computer");
    }

    @Test
    void refusesABrokerTheServerDoesNotOffer() {
        Cli cli = new Cli();

        assertThat(cli.run("server", "--broker", "kafka://localhost:9092", "--port", "0"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("cannot use the broker kafka://localhost:9092");
    }

    @Test
    void refusesAnUnknownLanguage() {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "fr", "--help")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Invalid value for --lang: fr");
    }

    @Test
    void asksForACommand() {
        Cli cli = new Cli().locale(Locale.forLanguageTag("es"));

        assertThat(cli.run()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Falta el comando: elige uno de los de abajo.",
                "Uso: cartero", "Comandos:");
    }

    @Test
    void refusesAnAddressWithAnUnknownSchemeAsAUsageError() {
        Cli cli = new Cli();

        assertThat(cli.run("send", "--server", "redis://localhost:6379", "--name", "ana",
                "-m", "hola")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("redis://localhost:6379 is not a server address");
    }

    @Test
    void takesTheServerFromTheEnvironmentButLetsTheFlagWin() {
        Cli fromEnvironment = new Cli().env("CARTERO_SERVER", "gopher://aula");
        Cli fromFlag = new Cli().env("CARTERO_SERVER", "gopher://aula");

        fromEnvironment.run("send", "--name", "ana", "-m", "hola");
        fromFlag.run("send", "--server", "ftp://aula", "--name", "ana", "-m", "hola");

        assertThat(fromEnvironment.err()).contains("gopher://aula is not a server address");
        assertThat(fromFlag.err()).contains("ftp://aula is not a server address");
    }

    @Test
    void showsEnvironmentDefaultsInHelp() {
        Cli cli = new Cli().env("CARTERO_PORT", "9090");

        cli.run("server", "--help");

        assertThat(cli.out()).contains("9090");
    }

    @Test
    void needsANameToSendFromAPipe() {
        Cli cli = new Cli().input("hola\n");

        assertThat(cli.run("send", "--server", "memory")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Missing --name");
    }

    @Test
    void refusesHistoryOnAQueue() {
        Cli cli = new Cli();

        assertThat(cli.run("receive", "--queue", "tareas", "--history", "5"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("--history works with rooms only");
    }
}
