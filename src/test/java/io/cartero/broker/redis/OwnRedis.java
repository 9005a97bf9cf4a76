package io.cartero.broker.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server}, started by one test with the options it needs (TLS, a
 * password, another address), on a free port, keeping nothing on disk. For tests that
 * {@link #available()} says can run.
 */
public final class OwnRedis implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final String host;
    private final int port;

    private OwnRedis(Process process, String host, int port) {
        this.process = process;
        this.host = host;
        this.port = port;
    }

    /** Whether Debian's {@code redis-server} is installed. */
    public static boolean available() {
        return BINARY.toFile().canExecute();
    }

    /**
     * Starts Redis listening on {@code host} only, with {@code options} (such as
     * {@code --requirepass x}) added to its command line.
     *
     * @param tls whether the port speaks TLS ({@code options} then name the certificate)
     */
    public static OwnRedis start(String host, boolean tls, String... options) {
        int port = TestRedis.Server.freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--bind", host,
                "--save", "", "--appendonly", "no"));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port),
                    "--tls-auth-clients", "no"));
        } else {
            command.addAll(List.of("--port", String.valueOf(port)));
        }
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            OwnRedis redis = new OwnRedis(process, host, port);
            redis.awaitListening();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with "
                        + process.exitValue());
            }
            try (Socket socket = new Socket(InetAddress.getByName(host), port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", interrupted);
                }
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + host + ":" + port);
    }
}
