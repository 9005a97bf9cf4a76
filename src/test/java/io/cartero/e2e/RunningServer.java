package io.cartero.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A real {@code cartero server} process on a free port of 127.0.0.1. */
final class RunningServer implements AutoCloseable {
    final int port;
    final CarteroProcess process;

    private RunningServer(int port, CarteroProcess process) {
        this.port = port;
        this.process = process;
    }

    static RunningServer start(String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("server", "--host=127.0.0.1",
                "--port=" + port, "--lang=en"));
        boolean choosesBroker = Arrays.stream(extraArgs)
                .anyMatch(arg -> arg.startsWith("--broker") || arg.startsWith("--data"));
        if (!choosesBroker) {
            args.add("--data=" + freshDataDirectory());
        }
        args.addAll(Arrays.asList(extraArgs));
        RunningServer server = new RunningServer(port,
                CarteroProcess.start(args.toArray(String[]::new)));
        server.awaitHealthy();
        return server;
    }

    /** A new empty data directory, so that no two servers share one. */
    static Path freshDataDirectory() {
        try {
            return Files.createTempDirectory("cartero-data-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory", e);
        }
    }

    String url() {
        return "ws://127.0.0.1:" + port;
    }

    int health() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitHealthy() {
        await("server on port " + port + " answering /health; it printed "
                + process.outText() + process.errText())
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !process.isAlive() || health() == 200);
        if (!process.isAlive()) {
            throw new AssertionError("the server ended: " + process.outText() + "\n"
                    + process.errText());
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
