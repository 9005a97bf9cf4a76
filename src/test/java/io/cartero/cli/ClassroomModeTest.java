package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.redis.TestRedis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code send} and {@code receive} straight to a real Redis with {@code --broker}, and a plain
 * Redis client playing the original workshop's Python programs (LPUSH and BRPOP of their
 * JSON on the bare lists).
 */
class ClassroomModeTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = "chat_distribuido";

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> python;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(REDIS.url());
        connection = client.connect();
        python = connection.sync();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @BeforeEach
    void emptyTheLists() {
        python.del("chat_simple", "chat_simple:dead", LIST, LIST + ":dead");
    }

    @Test
    void receivePrintsWhatTheOldProgramsPushed() throws Exception {
        python.lpush(LIST, "{\"usuario\": \"ana\", \"mensaje\": \"hola\", \"tiempo\": "
                + "\"10:42:07\", \"ip_origen\": \"192.168.1.20\"}");
        python.lpush(LIST, "{\"usuario\": \"luis\", \"mensaje\": \"versión vieja\", "
                + "\"hora\": \"10:43:00\"}");
        python.lpush(LIST, "{\"usuario\": \"José\", \"mensaje\": \"¡Qué tal, señoría! 🎉\", "
                + "\"tiempo\": \"10:44:30\", \"ip_origen\": \"10.0.0.7\"}");

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "--broker", REDIS.url(),
                "--queue", LIST);
        await().atMost(WAIT).until(() -> receiver.out().contains("señoría"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.out().lines()).containsExactly(
                shown("10:42:07") + " ana (192.168.1.20): hola",
                shown("10:43:00") + " luis: versión vieja",
                shown("10:44:30") + " José (10.0.0.7): ¡Qué tal, señoría! 🎉");
        assertThat(python.llen(LIST)).isZero();
    }

    /**
     * How receive shows a workshop time of day: today at that time in this machine's zone
     * (as the old programs meant it), printed in the zone the tests read times in.
     */
    private static String shown(String timeOfDay) {
        ZoneId zone = ZoneId.systemDefault();
        return "[" + LocalDate.now(zone).atTime(LocalTime.parse(timeOfDay)).atZone(zone)
                .withZoneSameInstant(Cli.ZONE).format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                + "]";
    }

    @Test
    void sendPushesTheWorkshopJsonInRawUtf8() throws Exception {
        assertThat(new Cli().run("send", "--broker", REDIS.url(), "--name", "José",
                "--queue", LIST, "-m", "¡Hola, señoría! 👋")).isEqualTo(ExitCodes.OK);

        KeyValue<String, String> popped = python.brpop(5, LIST);
        String raw = popped.getValue();
        JsonNode entry = JSON.readTree(raw);
        assertThat(raw).contains("¡Hola, señoría! 👋").doesNotContain("\\u");
        assertThat(entry.get("usuario").asText()).isEqualTo("José");
        assertThat(entry.get("mensaje").asText()).isEqualTo("¡Hola, señoría! 👋");
        assertThat(entry.get("tiempo").asText()).matches("\\d\\d:\\d\\d:\\d\\d");
        assertThat(entry.get("ip_origen").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void setsEveryMalformedEntryAsideAndPrintsTheNextGoodOne() throws Exception {
        List<String> malformed = List.of(
                "esto no es JSON",
                "[\"usuario\", \"mensaje\"]",
                "{\"usuario\": \"ana\", \"tiempo\": \"10:00:00\"}",
                "{\"usuario\": 7, \"mensaje\": \"hola\", \"tiempo\": \"10:00:00\"}",
                "{\"usuario\": \"ana\", \"mensaje\": \"hola\", \"tiempo\": \"mediodía\"}",
                "{\"usuario\": \"ana\", \"mensaje\": \"" + "x".repeat(70_000)
                        + "\", \"tiempo\": \"10:00:00\"}");
        malformed.forEach(entry -> python.lpush("chat_simple", entry));
        python.lpush("chat_simple",
                "{\"usuario\": \"ana\", \"mensaje\": \"sigo aquí\", \"tiempo\": \"11:00:00\"}");

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "--broker", REDIS.url(),
                "--queue", "chat_simple");
        await().atMost(WAIT).until(() -> receiver.out().contains("sigo aquí"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.out().lines()).containsExactly(shown("11:00:00") + " ana: sigo aquí");
        assertThat(python.lrange("chat_simple:dead", 0, -1)).containsExactlyInAnyOrderElementsOf(
                malformed);
        assertThat(receiver.err().lines().filter(line -> line.contains("was set aside on the "
                + "list chat_simple:dead"))).hasSize(malformed.size());
    }

    @Test
    void theSetAsideNoticeIsInSpanishForSpanishSpeakers() throws Exception {
        python.lpush("chat_simple", "{roto");

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("--lang", "es", "receive", "--broker",
                REDIS.url(), "--queue", "chat_simple");
        await().atMost(WAIT).until(() -> receiver.err().contains("se apartó"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.err()).contains(
                "Una entrada mal formada en chat_simple se apartó en la lista chat_simple:dead");
    }

    @Test
    void ordinaryQueuesWorkStraightOnRedisToo() throws Exception {
        assertThat(new Cli().run("send", "--broker", REDIS.url(), "--name", "ana",
                "--queue", "tareas-clase", "-m", "uno")).isEqualTo(ExitCodes.OK);

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "--broker", REDIS.url(),
                "--queue", "tareas-clase");
        await().atMost(WAIT).until(() -> receiver.out().contains("ana: uno"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(python.exists("tareas-clase")).isZero();
    }

    @Test
    void theBrokerEnvironmentVariableChoosesTheDirectMode() throws Exception {
        Cli sender = new Cli().env("CARTERO_BROKER", REDIS.url());
        assertThat(sender.run("send", "--name", "ana", "--queue", LIST, "-m", "por entorno"))
                .isEqualTo(ExitCodes.OK);

        assertThat(python.brpop(5, LIST).getValue()).contains("por entorno");
    }

    @Test
    void brokerAndServerTogetherAreAUsageError() {
        Cli cli = new Cli();

        assertThat(cli.run("send", "--broker", REDIS.url(), "--server", "localhost:8080",
                "--name", "ana", "-m", "hola")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Choose --server (through a node) or --broker");
    }

    @Test
    void anUnreachableRedisEndsWithTheNetworkExitCode() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Cli cli = new Cli();

        assertThat(cli.run("receive", "--broker", "redis://127.0.0.1:" + port, "--queue",
                LIST)).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err()).contains("Cannot reach Redis at redis://127.0.0.1:" + port);
    }

    @Test
    void aBrokerThatIsNeitherRedisNorMemoryIsAUsageError() {
        Cli cli = new Cli();

        assertThat(cli.run("receive", "--broker", "kafka://host:9092", "--queue", LIST))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("kafka://host:9092 is not a broker");
    }
}
