package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cartero.tls.TestCertificates;
import io.cartero.tls.TestCertificates.Issued;
import io.cartero.tls.TestCertificates.KeyFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server --tls-cert --tls-key}: the node serves https and wss on its one port, prints
 * addresses and join commands that say so, checks browser origins against its https origin,
 * and refuses, before starting anything, files it cannot use.
 */
class ServerTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern PORT = Pattern.compile("running on port (\\d+)");

    @TempDir
    static Path dir;
    private static Issued authority;
    private static Issued server;

    @BeforeAll
    static void certificates() {
        authority = TestCertificates.authority(dir, "ca");
        server = TestCertificates.signedBy(authority, dir, "node", KeyFormat.PKCS8,
                "127.0.0.1", "localhost");
    }

    @Test
    void servesHttpsAndWssOnItsPortAndSaysSoInWhatItPrints() throws Exception {
        Cli node = new Cli();
        CompletableFuture<Integer> exit = node.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory", "--tls-cert",
                server.certificateFile().toString(), "--tls-key", server.keyFile().toString());
        await().atMost(WAIT).until(() -> node.out().contains("Ctrl+C"));
        int port = port(node.out());
        try {
            assertThat(node.out()).contains("  https://127.0.0.1:" + port)
                    .contains("chat --server wss://127.0.0.1:" + port + " --name YOUR_NAME")
                    .contains("Connections are encrypted (https and wss) with the certificate in "
                            + server.certificateFile())
                    .doesNotContain("WARNING: the certificate")
                    .doesNotContain("http://").doesNotContain("ws://");

            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(authority.trustingOnlyThis()).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(WAIT).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .as("no plain http on the port").isInstanceOf(java.io.IOException.class);

            String wss = "wss://127.0.0.1:" + port + "/ws";
            upgrade(trusting, wss, "https://127.0.0.1:" + port).abort();
            assertThatThrownBy(() -> upgrade(trusting, wss, "http://127.0.0.1:" + port))
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            refused -> assertThat(refused.getResponse().statusCode())
                                    .isEqualTo(403));
        } finally {
            node.stop();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aSelfSignedCertificateGoesWithTheJoinCommandsAsCa() throws Exception {
        Issued own = TestCertificates.selfSigned(dir, "self", "127.0.0.1");
        Cli node = new Cli();
        CompletableFuture<Integer> exit = node.start("--lang", "es", "server", "--host",
                "127.0.0.1", "--port", "0", "--broker", "memory", "--token", "abc123",
                "--tls-cert", own.certificateFile().toString(), "--tls-key",
                own.keyFile().toString());
        await().atMost(WAIT).until(() -> node.out().contains("Ctrl+C"));
        node.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(node.out()).containsPattern(
                "chat --server wss://127\\.0\\.0\\.1:\\d+ --name TU_NOMBRE --token abc123 "
                        + "--ca self-cert\\.pem")
                .containsPattern("https://127\\.0\\.0\\.1:\\d+/\\?token=abc123")
                .contains("que se firmó a sí mismo: copia self-cert.pem a las otras "
                        + "computadoras y dalo con --ca");
    }

    @Test
    void anOutOfDateCertificateIsAWarningAtStartAndClientsAreToldWhyTheyAreRefused()
            throws Exception {
        Instant now = Instant.now();
        Issued expired = TestCertificates.selfSignedValid(dir, "expired",
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(2)), "127.0.0.1");
        Cli node = new Cli();
        CompletableFuture<Integer> exit = node.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", "memory", "--tls-cert",
                expired.certificateFile().toString(), "--tls-key",
                expired.keyFile().toString());
        await().atMost(WAIT).until(() -> node.out().contains("Ctrl+C"));
        try {
            assertThat(node.out()).contains("WARNING: the certificate in "
                    + expired.certificateFile() + " expired on " + day(now.minus(
                            Duration.ofDays(2))) + ". Browsers and Cartero's programs will"
                    + " refuse to connect");
            Cli client = new Cli();
            assertThat(client.run("send", "-s", "wss://127.0.0.1:" + port(node.out()), "-n",
                    "ana", "-m", "hola", "--ca", expired.certificateFile().toString()))
                    .isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(client.err()).contains("has expired or is not valid yet: check the date"
                    + " and time of this computer");
        } finally {
            node.stop();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);

        Issued early = TestCertificates.selfSignedValid(dir, "early",
                now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(40)), "127.0.0.1");
        Cli spanish = new Cli();
        CompletableFuture<Integer> started = spanish.start("--lang", "es", "server", "--host",
                "127.0.0.1", "--port", "0", "--broker", "memory", "--tls-cert",
                early.certificateFile().toString(), "--tls-key", early.keyFile().toString());
        await().atMost(WAIT).until(() -> spanish.out().contains("Ctrl+C"));
        spanish.stop();
        assertThat(started.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(spanish.out()).contains("AVISO: el certificado de " + early.certificateFile()
                + " solo es válido desde el " + day(now.plus(Duration.ofDays(10))));
    }

    private static String day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneId.systemDefault()).toString();
    }

    @Test
    void readsKeysInEveryFormatOpensslWrites() throws Exception {
        for (KeyFormat format : new KeyFormat[] {KeyFormat.PKCS1, KeyFormat.EC}) {
            Issued issued = TestCertificates.signedBy(authority, dir, "fmt-" + format,
                    format, "127.0.0.1");
            assertThat(Files.readString(issued.keyFile())).contains(format == KeyFormat.EC
                    ? "BEGIN EC PRIVATE KEY" : "BEGIN RSA PRIVATE KEY");
            Cli node = new Cli();
            CompletableFuture<Integer> exit = node.start("server", "--host", "127.0.0.1",
                    "--port", "0", "--broker", "memory", "--tls-cert",
                    issued.certificateFile().toString(), "--tls-key",
                    issued.keyFile().toString());
            await().atMost(WAIT).until(() -> node.out().contains("Ctrl+C")
                    || exit.isDone());
            node.stop();
            assertThat(exit.get(10, TimeUnit.SECONDS)).as(node.err()).isEqualTo(ExitCodes.OK);
            assertThat(node.out()).contains("wss://127.0.0.1:");
        }
    }

    @Test
    void refusesFilesItCannotUseNamingThemInBothLanguagesAndStartsNothing() throws Exception {
        Issued other = TestCertificates.selfSigned(dir, "other", "127.0.0.1");
        Issued locked = TestCertificates.signedBy(authority, dir, "locked",
                KeyFormat.ENCRYPTED, "127.0.0.1");
        Path missing = dir.resolve("missing.pem");
        String cert = server.certificateFile().toString();
        String key = server.keyFile().toString();

        assertRefused("en", cert, missing.toString(), "Cannot read " + missing);
        assertRefused("es", cert, missing.toString(), "No se puede leer " + missing);
        assertRefused("en", key, key, server.keyFile() + " holds no certificate");
        assertRefused("es", cert, cert, cert + " no contiene ninguna clave privada");
        assertRefused("en", cert, other.keyFile().toString(), "The key in " + other.keyFile()
                + " does not belong to the certificate of --tls-cert");
        assertRefused("es", cert, other.keyFile().toString(), "La clave de " + other.keyFile()
                + " no corresponde al certificado");
        assertRefused("en", locked.certificateFile().toString(), locked.keyFile().toString(),
                "The key in " + locked.keyFile() + " is protected by a passphrase");

        Cli half = new Cli();
        assertThat(half.run("server", "--port", "0", "--broker", "memory", "--tls-cert",
                cert)).isEqualTo(ExitCodes.USAGE);
        assertThat(half.err()).contains("Give --tls-cert and --tls-key together");
    }

    private static void assertRefused(String lang, String cert, String key, String message) {
        Cli node = new Cli();
        int code = node.run("--lang", lang, "server", "--host", "127.0.0.1", "--port", "0",
                "--broker", "memory", "--tls-cert", cert, "--tls-key", key);

        assertThat(code).as(node.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(node.err()).contains(message).contains(lang.equals("en")
                ? "Nothing was started." : "No se arrancó nada.");
        assertThat(node.out()).doesNotContain("Ctrl+C");
    }

    private static WebSocket upgrade(HttpClient client, String url, String origin) {
        return client.newWebSocketBuilder().header("Origin", origin)
                .buildAsync(URI.create(url), new WebSocket.Listener() { })
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static int port(String out) {
        Matcher matcher = PORT.matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
