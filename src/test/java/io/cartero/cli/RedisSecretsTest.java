package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.cartero.broker.redis.OwnRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis passwords, in a URL or in {@code CARTERO_REDIS_PASSWORD}, through every path that
 * shows or logs a Redis address: the server's start lines, send, receive, doctor, demo, a
 * wrong password, a URL that does not parse. Nothing written to standard output or error, and no
 * log line at any level (messages and exceptions alike), holds the password.
 */
class RedisSecretsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "pw-Secreto-8d1f";
    private static final String WRONG = "pw-Erroneo-55c2";

    private static OwnRedis redis;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;
    private Level rootLevel;
    private final List<Cli> runs = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        assumeTrue(OwnRedis.available(), "Debian's redis-server is not installed");
        redis = OwnRedis.start("127.0.0.1", false, "--user", "cartero", "on", ">" + PASSWORD,
                "~*", "&*", "+@all", "--user", "default", "off");
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void captureEveryLogLine() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void restoreLogging() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void theServerNeverShowsNorLogsTheRedisPassword() throws Exception {
        String withPassword = "redis://cartero:" + PASSWORD + "@127.0.0.1:" + redis.port();
        Cli server = run(new Cli().env("CARTERO_BROKER", withPassword));
        CompletableFuture<Integer> exit = server.start("server", "--host", "127.0.0.1",
                "--port", "0");
        await().atMost(WAIT).until(() -> server.out().contains("Ctrl+C") || exit.isDone());
        server.stop();
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(server.err())
                .isEqualTo(ExitCodes.OK);
        assertThat(server.out()).contains("Cartero is running on port");
        assertThat(logged()).contains("redis broker started url=redis://127.0.0.1:"
                + redis.port());

        Cli fromVariable = run(new Cli().env("CARTERO_REDIS_PASSWORD", PASSWORD)
                .env("CARTERO_BROKER", "redis://cartero@127.0.0.1:" + redis.port()));
        CompletableFuture<Integer> second = fromVariable.start("server", "--host",
                "127.0.0.1", "--port", "0");
        await().atMost(WAIT).until(() -> fromVariable.out().contains("Ctrl+C")
                || second.isDone());
        fromVariable.stop();
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(fromVariable.err())
                .isEqualTo(ExitCodes.OK);

        assertNoPasswordAnywhere();
    }

    @Test
    void commandsAndDoctorNeverShowNorLogTheRedisPassword() throws Exception {
        String url = "redis://cartero:" + PASSWORD + "@127.0.0.1:" + redis.port();
        assertThat(run(new Cli()).run("send", "--broker", url, "--name", "ana", "--queue",
                "secretos", "-m", "hola")).isEqualTo(ExitCodes.OK);

        Cli receiver = run(new Cli().env("CARTERO_BROKER", "redis://cartero@127.0.0.1:"
                + redis.port()).env("CARTERO_REDIS_PASSWORD", PASSWORD));
        CompletableFuture<Integer> reading = receiver.start("receive", "--queue", "secretos");
        await().atMost(WAIT).until(() -> receiver.out().contains("hola") || reading.isDone());
        receiver.stop();
        assertThat(reading.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);

        Cli doctor = run(new Cli());
        assertThat(doctor.run("doctor", "--broker", url)).as(doctor.out())
                .isEqualTo(ExitCodes.OK);
        assertThat(doctor.out()).contains("redis://127.0.0.1:" + redis.port());
        assertThat(run(new Cli()).run("doctor", "--json", "--broker", url))
                .isEqualTo(ExitCodes.OK);

        assertNoPasswordAnywhere();
    }

    @Test
    void theDemoTakesThePasswordFromTheEnvironmentAndNeverShowsIt() {
        Cli demo = run(new Cli().env("CARTERO_REDIS_PASSWORD", PASSWORD));
        assertThat(demo.run("demo", "--auto", "--broker", "redis://cartero@127.0.0.1:"
                + redis.port())).as(demo.err()).isEqualTo(ExitCodes.OK);

        assertNoPasswordAnywhere();
    }

    @Test
    void aWrongPasswordOrABadUrlIsReportedWithoutIt() {
        String wrong = "redis://cartero:" + WRONG + "@127.0.0.1:" + redis.port();
        Cli refused = run(new Cli());
        assertThat(refused.run("send", "--broker", wrong, "--name", "ana", "-m", "hola"))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(refused.err()).contains("Cannot reach Redis at redis://127.0.0.1:"
                + redis.port());

        Cli fromVariable = run(new Cli().env("CARTERO_REDIS_PASSWORD", WRONG));
        assertThat(fromVariable.run("receive", "--broker", "redis://cartero@127.0.0.1:"
                + redis.port(), "--queue", "secretos")).isEqualTo(ExitCodes.UNREACHABLE);

        Cli doctor = run(new Cli());
        assertThat(doctor.run("doctor", "--broker", wrong)).isNotEqualTo(ExitCodes.OK);

        Cli server = run(new Cli().env("CARTERO_BROKER", wrong));
        assertThat(server.run("server", "--host", "127.0.0.1", "--port", "0"))
                .isEqualTo(ExitCodes.UNREACHABLE);

        Cli malformed = run(new Cli());
        assertThat(malformed.run("send", "--broker", "redis://cartero:" + WRONG
                + "@127.0.0.1:99999", "--name", "ana", "-m", "hola")).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("redis://127.0.0.1:99999");

        assertNoPasswordAnywhere(WRONG);
    }

    private Cli run(Cli cli) {
        runs.add(cli);
        return cli;
    }

    private void assertNoPasswordAnywhere() {
        assertNoPasswordAnywhere(PASSWORD);
    }

    private void assertNoPasswordAnywhere(String secret) {
        assertThat(logs.list).as("log lines captured").isNotEmpty();
        assertThat(logged()).doesNotContain(secret);
        for (Cli cli : runs) {
            assertThat(cli.out()).doesNotContain(secret);
            assertThat(cli.err()).doesNotContain(secret);
        }
    }

    /** Every captured line, with its thread, its arguments and its exceptions' texts. */
    private String logged() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            text.append(event.getThreadName()).append(' ').append(event.getLoggerName())
                    .append(' ').append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            }
        }
        return text.toString();
    }
}
