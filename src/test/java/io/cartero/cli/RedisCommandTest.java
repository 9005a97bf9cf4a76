package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code redis} where no redis-server can be found, and its bad options. */
class RedisCommandTest {
    @TempDir
    Path emptyDirectory;

    @Test
    void saysHowToInstallRedisWhenThereIsNone() {
        ByteArrayOutputStream english = new ByteArrayOutputStream();
        ByteArrayOutputStream spanish = new ByteArrayOutputStream();

        assertThat(runWithoutRedis(Language.EN, english)).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(runWithoutRedis(Language.ES, spanish)).isEqualTo(ExitCodes.UNREACHABLE);

        assertThat(english.toString(StandardCharsets.UTF_8))
                .contains("No redis-server found", "sudo apt install redis-server",
                        "sudo dnf install redis", "brew install redis", "WSL or Memurai");
        assertThat(spanish.toString(StandardCharsets.UTF_8))
                .contains("No se encontró redis-server", "Instálalo", "usa WSL o Memurai");
    }

    @Test
    void findsRedisServerOnlyWhereItIs() {
        RedisServerBinary nowhere = new RedisServerBinary(emptyDirectory.toString(), List.of());
        RedisServerBinary fallback = new RedisServerBinary(emptyDirectory.toString(),
                List.of(emptyDirectory.resolve("redis-server"), Path.of("/bin/sh")));

        assertThat(nowhere.find()).isEmpty();
        assertThat(fallback.find()).contains(Path.of("/bin/sh"));
    }

    @Test
    void refusesABadPasswordOrPortBeforeStartingAnything() {
        Cli shortPassword = new Cli();
        Cli quote = new Cli();
        Cli port = new Cli();

        assertThat(shortPassword.run("redis", "--lan", "--password", "abc"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(quote.run("redis", "--password", "it's-a-secret")).isEqualTo(ExitCodes.USAGE);
        assertThat(port.run("redis", "--port", "0")).isEqualTo(ExitCodes.USAGE);

        assertThat(shortPassword.err()).contains("8 to 128 characters");
        assertThat(quote.err()).contains("8 to 128 characters");
        assertThat(port.err()).contains("between 1 and 65535: 0");
    }

    @Test
    void keepsItsOwnPortVariableApartFromTheNodes() {
        Cli cli = new Cli().env("CARTERO_PORT", "9090").env("CARTERO_REDIS_PORT", "6399");

        cli.run("redis", "--help");

        assertThat(cli.out()).contains("6399", "CARTERO_REDIS_PORT").doesNotContain("9090");
    }

    private int runWithoutRedis(Language language, ByteArrayOutputStream err) {
        Texts texts = Texts.of(language);
        CliContext context = new CliContext(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                Map.of(), false, false, texts, Cli.ZONE, new StopSignal());
        RedisServerBinary nowhere = new RedisServerBinary(emptyDirectory.toString(), List.of());
        CommandLine commandLine = new CommandLine(new RedisCommand(context, nowhere));
        commandLine.setResourceBundle(texts.bundle());
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionExceptionHandler(new Failures(texts));
        return commandLine.execute();
    }
}
