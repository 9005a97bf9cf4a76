package io.cartero.broker.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis for the tests, started once for the whole test run and stopped at its end:
 * Debian's {@code redis-server} when it is on PATH, else the one bundled in
 * {@code embedded-redis}. The system property {@code cartero.test.redis=embedded} forces the
 * bundled one. It listens on 127.0.0.1 on a free port and keeps nothing on disk.
 *
 * <p>Register with {@code @RegisterExtension static final TestRedis REDIS = new TestRedis();}
 * and read {@link #url()} in tests.
 */
public final class TestRedis implements BeforeAllCallback {
    private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestRedis.class);
    private static final Duration START_WAIT = Duration.ofSeconds(10);

    private volatile Server server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Server.class, type -> Server.start(), Server.class);
    }

    /** The URL of the running Redis, such as {@code redis://127.0.0.1:40123}. */
    public String url() {
        return "redis://127.0.0.1:" + server.port();
    }

    /** Which Redis runs: {@code debian} or {@code embedded}. */
    public String kind() {
        return server.kind();
    }

    /** One running Redis; the root store closes it when the test run ends. */
    static final class Server implements AutoCloseable {
        private final int port;
        private final String kind;
        private final Process process;
        private final RedisServer embedded;
        private final AtomicBoolean stopped = new AtomicBoolean();

        private Server(int port, String kind, Process process, RedisServer embedded) {
            this.port = port;
            this.kind = kind;
            this.process = process;
            this.embedded = embedded;
        }

        int port() {
            return port;
        }

        String kind() {
            return kind;
        }

        static Server start() {
            return start(freePort());
        }

        /** A Redis of its own on {@code port}, for a test that stops and restarts it. */
        static Server start(int port) {
            Path debian = onPath("redis-server");
            boolean forced = "embedded".equals(System.getProperty("cartero.test.redis"));
            Server server = debian != null && !forced ? debian(debian, port) : embedded(port);
            awaitListening(port);
            LOG.info("test redis started kind={} port={}", server.kind, port);
            return server;
        }

        @Override
        public void close() throws Exception {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            if (process != null) {
                process.destroy();
                if (!process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            if (embedded != null) {
                embedded.stop();
            }
            LOG.info("test redis stopped kind={} port={}", kind, port);
        }

        private static Server debian(Path binary, int port) {
            List<String> command = List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return new Server(port, "debian", process, null);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
        }

        private static Server embedded(int port) {
            try {
                RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
                return new Server(port, "embedded", null, server);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded Redis", e);
            }
        }

        private static Path onPath(String name) {
            String path = System.getenv("PATH");
            if (path == null) {
                return null;
            }
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            return null;
        }

        static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1,
                    InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }

        private static void awaitListening(int port) {
            long deadline = System.nanoTime() + START_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (IOException e) {
                    pause();
                }
            }
            throw new IllegalStateException("Redis did not listen on port " + port + " within "
                    + START_WAIT);
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Redis started", e);
            }
        }
    }
}
