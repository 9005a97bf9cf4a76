package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redis} started in-process on a free port, running the real redis-server. */
class RedisCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ENTRY = "{\"usuario\":\"ana\",\"mensaje\":\"hola\"}";

    @TempDir
    Path data;
    private RedisClient client;

    @BeforeEach
    void needsRedisServer() {
        assumeTrue(new RedisServerBinary(System.getenv("PATH"), RedisServerBinary.USUAL_PLACES)
                .find().isPresent(), "redis-server is not installed here (apt-get install -y "
                + "redis-server): skipping the tests that run it");
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.shutdown();
        }
    }

    @Test
    void servesOnLoopbackOnlyProtectedAndStopsItsChild() throws Exception {
        int port = freePort();
        Cli redis = new Cli();
        CompletableFuture<Integer> exit = redis.start("redis", "--port", "" + port,
                "--data", data.toString());
        await().atMost(WAIT).until(() -> redis.out().contains("Ctrl+C"));
        ProcessHandle child = redisChild();

        try (StatefulRedisConnection<String, String> connection = connect(port, null, null)) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            assertThat(connection.sync().configGet("bind"))
                    .isEqualTo(Map.of("bind", "127.0.0.1 -::1"));
            assertThat(connection.sync().configGet("protected-mode"))
                    .isEqualTo(Map.of("protected-mode", "yes"));
            assertThat(connection.sync().configGet("save")).isEqualTo(Map.of("save", ""));
            assertThat(connection.sync().configGet("appendonly"))
                    .isEqualTo(Map.of("appendonly", "yes"));
            assertThat(connection.sync().configGet("appendfsync"))
                    .isEqualTo(Map.of("appendfsync", "everysec"));
        }
        redis.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        await().atMost(WAIT).until(() -> !child.isAlive());
        assertThat(redis.out())
                .contains("Redis is ready on port " + port)
                .contains("It keeps its data in " + data)
                .contains("only this computer can use it")
                .contains("./cartero server --broker redis://127.0.0.1:" + port)
                .contains("./cartero receive --broker redis://127.0.0.1:" + port
                        + " --queue chat_simple")
                .contains("--name YOUR_NAME --queue chat_simple")
                .endsWith("Redis stopped." + System.lineSeparator());
    }

    @Test
    void onTheLanOnlyUserCarteroGetsInAndOnlyToCarterosKeys() throws Exception {
        int port = freePort();
        Cli redis = new Cli();
        CompletableFuture<Integer> exit = redis.start("--lang", "es", "redis", "--port",
                "" + port, "--lan", "--password", "clase-2026", "--data", data.toString());
        await().atMost(WAIT).until(() -> redis.out().contains("Ctrl+C"));
        String url = "redis://cartero:clase-2026@127.0.0.1:" + port;
        try {
            assertThatThrownBy(() -> {
                try (StatefulRedisConnection<String, String> anonymous = connect(port, null,
                        null)) {
                    anonymous.sync().ping();
                }
            }).hasStackTraceContaining("NOAUTH");
            assertThatThrownBy(() -> connect(port, null, "clase-2026").sync().ping())
                    .as("the default user is off").hasStackTraceContaining("WRONGPASS");
            try (StatefulRedisConnection<String, String> cartero = connect(port, "cartero",
                    "clase-2026")) {
                assertThat(cartero.sync().ping()).isEqualTo("PONG");
                assertThat(cartero.sync().lpush("chat_simple", ENTRY)).isEqualTo(1L);
                assertThat(cartero.sync().rpop("chat_simple")).isEqualTo(ENTRY);
                assertThatThrownBy(() -> cartero.sync().flushall())
                        .hasMessageContaining("NOPERM");
                assertThatThrownBy(() -> cartero.sync().configGet("bind"))
                        .hasMessageContaining("NOPERM");
                assertThatThrownBy(() -> cartero.sync().set("otra-cosa", "x"))
                        .hasMessageContaining("NOPERM");
            }

            assertThat(new Cli().run("send", "--broker", url, "--name", "ana", "--queue",
                    "chat_simple", "-m", "directo")).isEqualTo(ExitCodes.OK);
            Cli node = new Cli().env("CARTERO_BROKER", url);
            CompletableFuture<Integer> serving = node.start("server", "--host", "127.0.0.1",
                    "--port", "0");
            await().atMost(WAIT).until(() -> node.out().contains("Ctrl+C") || serving.isDone());
            String server = "ws://127.0.0.1:" + node.out()
                    .replaceAll("(?s).*running on port (\\d+).*", "$1");
            try {
                assertThat(new Cli().run("send", "-s", server, "-n", "luis", "-r", "general",
                        "-m", "por el nodo")).isEqualTo(ExitCodes.OK);
                Cli reader = new Cli();
                CompletableFuture<Integer> reading = reader.start("receive", "-s", server,
                        "-r", "general", "--history", "5");
                await().atMost(WAIT).until(() -> reader.out().contains("luis: por el nodo"));
                reader.stop();
                assertThat(reading.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
            } finally {
                node.stop();
            }
            assertThat(serving.get(10, TimeUnit.SECONDS)).as(node.err())
                    .isEqualTo(ExitCodes.OK);
            try (StatefulRedisConnection<String, String> cartero = connect(port, "cartero",
                    "clase-2026")) {
                assertThat(cartero.sync().rpop("chat_simple")).contains("directo");
            }
        } finally {
            redis.stop();
        }

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(redis.out())
                .contains("solo deja entrar al usuario cartero, con la contraseña clase-2026")
                .contains("redis://cartero:clase-2026@127.0.0.1:" + port)
                .contains("redis-cli -h 127.0.0.1 -p " + port
                        + " --user cartero --pass clase-2026")
                .contains("redis.Redis(host=\"127.0.0.1\", port=" + port
                        + ", username=\"cartero\", password=\"clase-2026\")")
                .contains("--name TU_NOMBRE")
                .contains("Redis se detuvo.");
    }

    @Test
    void onLoopbackAPasswordStaysTheDefaultUsers() throws Exception {
        int port = freePort();
        Cli redis = new Cli();
        CompletableFuture<Integer> exit = redis.start("redis", "--port", "" + port,
                "--password", "clase-2026", "--data", data.toString());
        await().atMost(WAIT).until(() -> redis.out().contains("Ctrl+C"));
        try (StatefulRedisConnection<String, String> connection = connect(port, null,
                "clase-2026")) {
            assertThat(connection.sync().configGet("requirepass"))
                    .isEqualTo(Map.of("requirepass", "clase-2026"));
            assertThat(connection.sync().configGet("bind"))
                    .isEqualTo(Map.of("bind", "127.0.0.1 -::1"));
        }
        redis.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(redis.out()).contains("redis://:clase-2026@127.0.0.1:" + port)
                .contains("-a clase-2026");
    }

    @Test
    void makesUpAPasswordForTheLanFromTheEnvironmentOrAtRandom() throws Exception {
        int port = freePort();
        Cli redis = new Cli().env("CARTERO_REDIS_PORT", "" + port);
        CompletableFuture<Integer> exit = redis.start("redis", "--lan", "--data", data.toString());
        await().atMost(WAIT).until(() -> redis.out().contains("Ctrl+C"));
        String password = redis.out().replaceAll(
                "(?s).*lets in only the user cartero, with the password (\\S+),.*", "$1");

        try (StatefulRedisConnection<String, String> connection = connect(port, "cartero",
                password)) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
        redis.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(password).matches("[A-Za-z0-9_-]{16}");
    }

    @Test
    void aRestartOnTheSameFolderFindsTheQueueAgain() throws Exception {
        int port = freePort();
        Cli first = new Cli();
        CompletableFuture<Integer> exit = first.start("redis", "--port", "" + port,
                "--data", data.toString());
        await().atMost(WAIT).until(() -> first.out().contains("Ctrl+C"));
        try (StatefulRedisConnection<String, String> connection = connect(port, null, null)) {
            connection.sync().lpush("chat_simple", ENTRY);
        }
        first.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);

        Cli second = new Cli();
        CompletableFuture<Integer> again = second.start("redis", "--port", "" + port,
                "--data", data.toString());
        await().atMost(WAIT).until(() -> second.out().contains("Ctrl+C"));
        try (StatefulRedisConnection<String, String> connection = connect(port, null, null)) {
            assertThat(connection.sync().lrange("chat_simple", 0, -1))
                    .containsExactly(ENTRY);
        }
        second.stop();
        assertThat(again.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void namesTheBusyPortAndTheOptionToChangeIt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            Cli redis = new Cli();

            assertThat(redis.run("redis", "--port", "" + port, "--data", data.toString()))
                    .isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(redis.err()).contains("Port " + port + " is already in use",
                    "with --port");
        }
    }

    @Test
    void explainsWhenRedisServerDiesOnItsOwn() throws Exception {
        int port = freePort();
        Cli redis = new Cli();
        CompletableFuture<Integer> exit = redis.start("redis", "--port", "" + port,
                "--data", data.toString());
        await().atMost(WAIT).until(() -> redis.out().contains("Ctrl+C"));

        redisChild().destroyForcibly();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(redis.err()).contains("redis-server stopped unexpectedly. Its last lines:")
                .contains("Ready to accept connections");
    }

    private StatefulRedisConnection<String, String> connect(int port, String user,
            String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(WAIT);
        if (user != null) {
            uri.withAuthentication(user, password.toCharArray());
        } else if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        if (client == null) {
            client = RedisClient.create();
        }
        return client.connect(uri.build());
    }

    /**
     * The redis-server this JVM started: its only child process, as the tests run one by one
     * (the system does not always tell a child's command, so it is not checked).
     */
    private static ProcessHandle redisChild() {
        List<ProcessHandle> children = ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive).toList();
        assertThat(children).hasSize(1);
        return children.get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
