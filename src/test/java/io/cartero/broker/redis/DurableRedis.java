package io.cartero.broker.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's {@code redis-server} as a child process for fault tests: on 127.0.0.1, one port and
 * one data directory for its whole life, with {@code appendonly yes} and {@code appendfsync
 * always}, so that it can be killed, paused, and started again on the same data (or on a wiped
 * directory). Not thread-safe: one test drives it.
 */
final class DurableRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableRedis.class);
    private static final Duration START_WAIT = Duration.ofSeconds(10);

    private final Path binary;
    private final Path data;
    private final int port;
    private Process process;

    private DurableRedis(Path binary, Path data, int port) {
        this.binary = binary;
        this.data = data;
        this.port = port;
    }

    /** The {@code redis-server} on PATH, if any: fault tests need a process they can signal. */
    static Optional<Path> binary() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts {@code binary} on a free port, keeping its data in {@code data}. */
    static DurableRedis start(Path binary, Path data) {
        DurableRedis redis = new DurableRedis(binary, data, TestRedis.Server.freePort());
        redis.start();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it again on the same port and data after {@link #kill()}. */
    void start() {
        List<String> command = List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", data.toString(), "--save", "",
                "--appendonly", "yes", "--appendfsync", "always");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(data.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        awaitListening();
        LOG.info("durable redis started port={} pid={}", port, process.pid());
    }

    /** {@code kill -9}: no shutdown, no final write. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS);
        LOG.info("durable redis killed port={}", port);
    }

    /** Deletes everything it kept (call after {@link #kill()}): the next start is empty. */
    void wipe() throws IOException {
        try (var files = Files.walk(data)) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                if (!file.equals(data)) {
                    Files.delete(file);
                }
            }
        }
    }

    /** SIGSTOP: the process stays, its connections stay open, nothing answers. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed for redis pid "
                    + process.pid());
        }
        LOG.info("durable redis signalled port={} signal={}", port, name);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                pause(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + port
                + "; see " + data.resolve("redis.log"));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redis-server started", e);
        }
    }
}
