package io.cartero.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process from PATH on a free port of 127.0.0.1, with nothing
 * written to disk, for tests that run several nodes on one Redis.
 */
final class RedisProcess implements AutoCloseable {
    final int port;
    private final Process process;

    private RedisProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** The {@code redis-server} on PATH, if there is one. */
    static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts {@code binary} on a free port and waits until it accepts connections. */
    static RedisProcess start(Path binary) {
        int port = RunningServer.freePort();
        ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            RedisProcess redis = new RedisProcess(port, builder.start());
            redis.awaitListening();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** The broker URL a node takes: {@code redis://127.0.0.1:PORT}. */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitListening() {
        await("redis-server listening on port " + port).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !process.isAlive() || accepts());
        if (!process.isAlive()) {
            throw new AssertionError("redis-server ended at once on port " + port);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
