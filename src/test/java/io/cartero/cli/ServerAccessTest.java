package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code server --token} and {@code --password} with the terminal programs: the join commands
 * printed work as printed, and a missing or wrong secret is refused with a message a student
 * can act on. Without either, the server warns that anyone can join.
 */
class ServerAccessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern JOIN = Pattern.compile(
            "chat --server (ws://127\\.0\\.0\\.1:\\d+) --name YOUR_NAME --token ([A-Za-z0-9_-]+)");

    @Test
    void theJoinCommandOfATokenServerWorksAndAWrongTokenIsRefused() throws Exception {
        Cli server = new Cli();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory", "--token");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        Matcher join = JOIN.matcher(server.out());
        assertThat(join.find()).as(server.out()).isTrue();
        String url = join.group(1);
        String token = join.group(2);
        try {
            assertThat(new Cli().run("send", "-s", url, "-n", "ana", "-r", "general",
                    "--token", token, "-m", "hola")).isEqualTo(ExitCodes.OK);
            assertThat(new Cli().run("send", "-s", url + "/?token=" + token, "-n", "luis",
                    "-r", "general", "-m", "por la dirección")).isEqualTo(ExitCodes.OK);
            assertThat(new Cli().env("CARTERO_TOKEN", token).run("send", "-s", url, "-n",
                    "eva", "-r", "general", "-m", "por el entorno")).isEqualTo(ExitCodes.OK);

            Cli stranger = new Cli();
            assertThat(stranger.run("send", "-s", url, "-n", "intrusa", "-r", "general",
                    "--token", token + "x", "-m", "hola")).isEqualTo(ExitCodes.REFUSED);
            assertThat(stranger.err()).contains("asks for a password or an access token")
                    .contains("--token TOKEN").doesNotContain(token);
            Cli spanish = new Cli();
            assertThat(spanish.run("--lang", "es", "receive", "-s", url, "-r", "general"))
                    .isEqualTo(ExitCodes.REFUSED);
            assertThat(spanish.err()).contains("El servidor pide una contraseña o un token");

            Cli reader = new Cli();
            CompletableFuture<Integer> reading = reader.start("receive", "-s", url, "-r",
                    "general", "--token", token, "--history", "10");
            await().atMost(WAIT).until(() -> reader.out().contains("por el entorno"));
            reader.stop();
            assertThat(reading.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
            assertThat(reader.out()).contains("ana: hola", "luis: por la dirección");
        } finally {
            server.stop();
        }

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(server.out()).contains("Only those who have the access token can join")
                .doesNotContain("WARNING");
    }

    @Test
    void aPasswordServerAdmitsThePasswordFromTheEnvironmentAndNeverPrintsIt() throws Exception {
        Cli server = new Cli().env("CARTERO_PASSWORD", "clase-de-redes-7");
        CompletableFuture<Integer> exit = server.start("--lang", "es", "server", "--host",
                "127.0.0.1", "--port", "0", "--broker", "memory");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        Matcher port = Pattern.compile("puerto (\\d+)").matcher(server.out());
        assertThat(port.find()).isTrue();
        String url = "ws://127.0.0.1:" + port.group(1);
        try {
            assertThat(new Cli().run("send", "-s", url, "-n", "ana", "--password",
                    "clase-de-redes-7", "-m", "hola")).isEqualTo(ExitCodes.OK);
            assertThat(new Cli().run("send", "-s", url, "-n", "ana", "--password",
                    "clase-de-redes", "-m", "hola")).isEqualTo(ExitCodes.REFUSED);
        } finally {
            server.stop();
        }

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(server.out()).contains("--password CONTRASEÑA")
                .contains("Solo puede unirse quien dé la contraseña")
                .doesNotContain("clase-de-redes-7").doesNotContain("AVISO");
    }

    @Test
    void anOpenServerWarnsThatAnyoneCanJoinInBothLanguages() throws Exception {
        for (String lang : new String[] {"en", "es"}) {
            Cli server = new Cli();
            CompletableFuture<Integer> exit = server.start("--lang", lang, "server", "--host",
                    "127.0.0.1", "--port", "0", "--broker", "memory");
            await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
            server.stop();

            assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
            assertThat(server.out()).contains(lang.equals("en")
                    ? "WARNING: no password or token. Anyone who can reach this server"
                    : "AVISO: sin contraseña ni token. Cualquiera que llegue a este servidor");
        }
    }

    @Test
    void passwordAndTokenTogetherAreAUsageError() {
        Cli server = new Cli();

        assertThat(server.run("server", "--host", "127.0.0.1", "--port", "0", "--broker",
                "memory", "--password", "abcdefgh", "--token")).isEqualTo(ExitCodes.USAGE);
        assertThat(server.err()).contains("Choose --password or --token, not both.");
    }
}
