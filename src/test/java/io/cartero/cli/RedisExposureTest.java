package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cartero.broker.redis.OwnRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A Redis reached off loopback that answers without a password gets a loud warning on
 * standard error, in the person's language, and in the log; one on loopback, or one that
 * asks for a password, gets none. Test servers listen on 127.0.0.1 only, so the end-to-end
 * cases run Debian's redis-server there with "this computer's alone" narrowed to nothing:
 * the commands then see it as they would see a Redis on the LAN. Protected mode, which only
 * refuses other computers, cannot be seen from loopback; the decision itself is tested apart.
 */
class RedisExposureTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RedisExposure.class);

    @BeforeAll
    static void needsRedis() {
        assumeTrue(OwnRedis.available(), "Debian's redis-server is not installed");
    }

    @BeforeEach
    void captureWarnings() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stopCapturingAndRestoreLoopback() {
        logger.detachAppender(logs);
        RedisExposure.thisComputerOnly = InetAddress::isLoopbackAddress;
    }

    @Test
    void anOpenRedisOffThisComputerIsWarnedAboutBySendDoctorAndTheServer() throws Exception {
        try (OwnRedis open = OwnRedis.start("127.0.0.1", false)) {
            RedisExposure.thisComputerOnly = address -> false;
            String url = "redis://127.0.0.1:" + open.port();
            Cli english = new Cli();
            assertThat(english.run("send", "--broker", url, "--name", "ana", "-m", "hola"))
                    .isEqualTo(ExitCodes.OK);
            assertThat(english.err()).contains("WARNING: the Redis at " + url
                    + " answers anyone on the network without a password")
                    .contains("read and wipe every conversation")
                    .contains("run programs on its computer").contains("docs/security.md");
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.startsWith("redis open to the network url=" + url)
                            && line.contains("docs/security.md"));

            Cli spanish = new Cli();
            assertThat(spanish.run("--lang", "es", "send", "--broker", url, "--name", "ana",
                    "-m", "hola")).isEqualTo(ExitCodes.OK);
            assertThat(spanish.err()).contains("AVISO: el Redis en " + url
                    + " responde a cualquiera en la red sin contraseña");

            Cli doctor = new Cli();
            doctor.run("doctor", "--broker", url);
            assertThat(doctor.err()).contains("WARNING: the Redis at " + url);

            Cli server = new Cli();
            CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                    "--port", "0", "--broker", url);
            await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C") || exit.isDone());
            server.stop();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
            assertThat(server.err()).contains("WARNING: the Redis at " + url);
        }
    }

    @Test
    void aRedisThatAsksForAPasswordIsNotWarnedAbout() throws Exception {
        try (OwnRedis guarded = OwnRedis.start("127.0.0.1", false, "--requirepass",
                "clave-larga-9")) {
            RedisExposure.thisComputerOnly = address -> false;
            Cli cli = new Cli();
            assertThat(cli.run("send", "--broker", "redis://:clave-larga-9@127.0.0.1:"
                    + guarded.port(), "--name", "ana", "-m", "hola")).isEqualTo(ExitCodes.OK);
            assertThat(cli.err()).doesNotContain("WARNING");
        }
        assertThat(logs.list).isEmpty();
    }

    @Test
    void anOpenRedisOnLoopbackIsNotWarnedAboutUnlessLoopbackMeantTheNetwork()
            throws Exception {
        try (OwnRedis local = OwnRedis.start("127.0.0.1", false)) {
            String url = "redis://127.0.0.1:" + local.port();
            Cli cli = new Cli();
            assertThat(cli.run("send", "--broker", url, "--name", "ana", "-m", "hola"))
                    .isEqualTo(ExitCodes.OK);
            assertThat(cli.err()).doesNotContain("WARNING");

            Captured standard = new Captured();
            assertThat(RedisExposure.standard().warnIfOpen(url, RedisEnvironment.NONE,
                    standard.context)).isFalse();
            Captured nothingIsLoopback = new Captured();
            assertThat(new RedisExposure(address -> false).warnIfOpen(url,
                    RedisEnvironment.NONE, nothingIsLoopback.context)).isTrue();
            assertThat(nothingIsLoopback.err()).contains("WARNING: the Redis at " + url);
        }
    }

    @Test
    void warnsOnlyOffLoopbackAndOnlyWhenCommandsGoThroughWithoutAuth() throws Exception {
        RedisExposure exposure = RedisExposure.standard();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress other = InetAddress.getByName("192.168.1.20");

        assertThat(exposure.exposed(other, true)).isTrue();
        assertThat(exposure.exposed(other, false)).isFalse();
        assertThat(exposure.exposed(loopback, true)).isFalse();
        assertThat(exposure.exposed(InetAddress.getByName("::1"), true)).isFalse();
    }

    /** A context whose standard error is kept. */
    private static final class Captured {
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CliContext context = new CliContext(
                new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                Map.of(), false, false, Texts.of(Language.EN), ZoneOffset.UTC,
                new StopSignal());

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
