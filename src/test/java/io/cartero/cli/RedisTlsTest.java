package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cartero.broker.redis.OwnRedis;
import io.cartero.tls.TestCertificates;
import io.cartero.tls.TestCertificates.Issued;
import io.cartero.tls.TestCertificates.KeyFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} to Debian's redis-server with a TLS port and a certificate made in the
 * test for 127.0.0.1: trusted through {@code CARTERO_REDIS_CA}, refused without it or for a
 * name the certificate does not list, by the commands, the server and doctor alike.
 */
class RedisTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Issued authority;
    private static OwnRedis redis;
    private static String url;

    @BeforeAll
    static void startRedis() {
        assumeTrue(OwnRedis.available(), "Debian's redis-server is not installed");
        authority = TestCertificates.authority(dir, "redis-ca");
        Issued certificate = TestCertificates.signedBy(authority, dir, "redis",
                KeyFormat.PKCS8, "127.0.0.1");
        redis = OwnRedis.start("127.0.0.1", true, "--tls-cert-file",
                certificate.certificateFile().toString(), "--tls-key-file",
                certificate.keyFile().toString());
        url = "rediss://127.0.0.1:" + redis.port();
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void withTheAuthorityFromTheEnvironmentMessagesGoThrough() throws Exception {
        String ca = authority.certificateFile().toString();
        Cli sender = new Cli().env("CARTERO_REDIS_CA", ca);
        assertThat(sender.run("send", "--broker", url, "--name", "ana", "--queue",
                "chat_simple", "-m", "cifrado")).as(sender.err()).isEqualTo(ExitCodes.OK);

        Cli receiver = new Cli().env("CARTERO_REDIS_CA", ca);
        CompletableFuture<Integer> exit = receiver.start("receive", "--broker", url,
                "--queue", "chat_simple");
        await().atMost(WAIT).until(() -> receiver.out().contains(": cifrado")
                || exit.isDone());
        receiver.stop();
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(receiver.err())
                .isEqualTo(ExitCodes.OK);
        assertThat(receiver.out()).containsPattern("ana( \\(.*\\))?: cifrado");
    }

    @Test
    void withoutTheAuthorityTheConnectionIsRefusedWithWhatToDo() {
        Cli english = new Cli();
        assertThat(english.run("send", "--broker", url, "--name", "ana", "-m", "hola"))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(english.err()).contains("Cannot set up an encrypted connection with Redis "
                + "at " + url).contains("CARTERO_REDIS_CA");

        Cli spanish = new Cli();
        assertThat(spanish.run("--lang", "es", "send", "--broker", url, "--name", "ana", "-m",
                "hola")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(spanish.err()).contains("No se puede establecer una conexión cifrada");
    }

    @Test
    void aNameTheCertificateDoesNotListIsRefused() {
        Cli cli = new Cli().env("CARTERO_REDIS_CA", authority.certificateFile().toString());
        assertThat(cli.run("send", "--broker", "rediss://localhost:" + redis.port(),
                "--name", "ana", "-m", "hola")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err()).contains("Cannot set up an encrypted connection");
    }

    @Test
    void aServerUsesTheRedisOverTls() throws Exception {
        Cli server = new Cli().env("CARTERO_REDIS_CA", authority.certificateFile().toString());
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0", "--broker", url);
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C") || exit.isDone());
        server.stop();
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(server.err())
                .isEqualTo(ExitCodes.OK);
        assertThat(server.out()).contains("Cartero is running on port");
    }

    @Test
    void doctorChecksTheCertificateWithTheSameAuthority() {
        Cli trusted = new Cli().env("CARTERO_REDIS_CA", authority.certificateFile().toString());
        assertThat(trusted.run("doctor", "--broker", url)).as(trusted.out())
                .isEqualTo(ExitCodes.OK);
        assertThat(trusted.out()).contains("TLS");

        Cli untrusted = new Cli();
        assertThat(untrusted.run("doctor", "--broker", url)).isNotEqualTo(ExitCodes.OK);
    }
}
