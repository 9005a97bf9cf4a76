package io.cartero.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
        String[] args = new String[4 + extraArgs.length];
        args[0] = "server";
        args[1] = "--host=127.0.0.1";
        args[2] = "--port=" + port;
        args[3] = "--lang=en";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        RunningServer server = new RunningServer(port, CarteroProcess.start(args));
        server.awaitHealthy();
        return server;
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
