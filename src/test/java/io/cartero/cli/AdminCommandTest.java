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
 * {@code cartero admin} against a real {@code cartero server} in the same process: the token
 * the server prints (or the one fixed in the environment) works the controls; without it or
 * with a wrong one they are refused.
 */
class AdminCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern TOKEN = Pattern.compile("Operator token .*: ([A-Za-z0-9_-]+)");

    @Test
    void theTokenTheServerPrintsWorksTheControlsAndAWrongOneIsRefused() throws Exception {
        Cli server = new Cli();
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        String url = "ws://127.0.0.1:" + ServerCommandTest.portIn(server.out());
        Matcher printed = TOKEN.matcher(server.out());
        assertThat(printed.find()).isTrue();
        String token = printed.group(1);

        Cli cut = new Cli();
        assertThat(cut.run("admin", "-s", url, "--operator-token", token, "cut"))
                .isEqualTo(ExitCodes.OK);
        assertThat(cut.out()).contains("Done: cut");
        Cli send = new Cli();
        assertThat(send.run("send", "-s", url, "-n", "ana", "-m", "hola"))
                .isNotEqualTo(ExitCodes.OK);
        Cli restore = new Cli().env("CARTERO_OPERATOR_TOKEN", token);
        assertThat(restore.run("admin", "-s", url, "restore")).isEqualTo(ExitCodes.OK);
        assertThat(new Cli().run("send", "-s", url, "-n", "ana", "-m", "hola"))
                .isEqualTo(ExitCodes.OK);

        Cli wrong = new Cli();
        assertThat(wrong.run("admin", "-s", url, "-t", "not-the-token-at-all", "cut"))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(wrong.err()).contains("That control is for the operator");
        Cli nobody = new Cli();
        assertThat(nobody.run("admin", "-s", url, "-t", token, "pause", "nadie"))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(nobody.err()).contains("nobody named nadie");
        server.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aTokenFixedInTheEnvironmentIsTheOnePrinted() throws Exception {
        Cli server = new Cli().env("CARTERO_OPERATOR_TOKEN", "profesora-de-redes-1");
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        String url = "ws://127.0.0.1:" + ServerCommandTest.portIn(server.out());

        assertThat(server.out()).contains(": profesora-de-redes-1");
        Cli simulate = new Cli();
        assertThat(simulate.run("admin", "-s", url, "-t", "profesora-de-redes-1", "simulate",
                "producer", "--queue", "tareas", "--rate", "5")).isEqualTo(ExitCodes.OK);
        assertThat(simulate.out()).contains("sim-prod-1");
        assertThat(new Cli().run("admin", "-s", url, "-t", "profesora-de-redes-1",
                "unsimulate")).isEqualTo(ExitCodes.OK);
        server.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void onAServerThatAsksForATokenTheControlsNeedItBesideTheOperatorToken() throws Exception {
        Cli server = new Cli().env("CARTERO_OPERATOR_TOKEN", "profesora-de-redes-1");
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory", "--token", "entrada-de-clase");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C"));
        String url = "ws://127.0.0.1:" + ServerCommandTest.portIn(server.out());

        Cli without = new Cli();
        assertThat(without.run("admin", "-s", url, "-t", "profesora-de-redes-1", "cut"))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(without.err()).contains("asks for a password or an access token",
                "--token TOKEN");
        Cli spanish = new Cli();
        assertThat(spanish.run("--lang", "es", "admin", "-s", url, "-t",
                "profesora-de-redes-1", "cut")).isEqualTo(ExitCodes.REFUSED);
        assertThat(spanish.err()).contains("pide una contraseña o un token de acceso");
        Cli with = new Cli();
        assertThat(with.run("admin", "-s", url, "--token", "entrada-de-clase", "-t",
                "profesora-de-redes-1", "cut")).isEqualTo(ExitCodes.OK);
        Cli inTheAddress = new Cli();
        assertThat(inTheAddress.run("admin", "-s", url + "/?token=entrada-de-clase", "-t",
                "profesora-de-redes-1", "restore")).isEqualTo(ExitCodes.OK);
        server.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void refusesAMissingTokenAnUnknownActionAndABadFixedToken() throws Exception {
        Cli missing = new Cli();
        assertThat(missing.run("admin", "-s", "ws://127.0.0.1:1", "cut"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("The operator token is missing");
        Cli unknown = new Cli();
        assertThat(unknown.run("admin", "-s", "ws://127.0.0.1:1", "-t", "x", "explode"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unknown action explode");
        Cli badServer = new Cli().env("CARTERO_OPERATOR_TOKEN", "short");
        assertThat(badServer.run("server", "--host", "127.0.0.1", "--port", "0", "--broker",
                "memory")).isEqualTo(ExitCodes.USAGE);
        assertThat(badServer.err()).contains("CARTERO_OPERATOR_TOKEN must hold 16 to 128");
    }
}
