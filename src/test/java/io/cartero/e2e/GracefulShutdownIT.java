package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.redis.RedisBroker;
import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 7: SIGTERM to a node on Redis while publishers send at a steady rate. Every
 * acknowledged message is in Redis afterwards, every message sent got an answer or the
 * connection's close, the clients see 1012 and the node exits with 0.
 */
class GracefulShutdownIT {
    private static final String ROOM = "apagado";
    private static final int PUBLISHERS = 4;
    private static final Duration EVERY = Duration.ofMillis(10);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int HISTORY = 10_000;

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        Path binary = RedisProcess.binary().orElse(null);
        Assumptions.assumeTrue(binary != null, "no redis-server on PATH: this test needs one");
        redis = RedisProcess.start(binary);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void sigtermLosesNoAcknowledgedMessageAndAnswersEveryRequest() {
        int port = RunningServer.freePort();
        List<Publisher> publishers = new ArrayList<>();
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(PUBLISHERS);
        try (CarteroProcess server = CarteroProcess.start("server", "--host=127.0.0.1",
                "--port=" + port, "--lang=en", "--broker=" + redis.url())) {
            awaitListening(port, server);
            for (int i = 0; i < PUBLISHERS; i++) {
                String name = "pub" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
                Publisher publisher = new Publisher(port, name);
                publishers.add(publisher);
                ticks.scheduleAtFixedRate(publisher::sendNext, 0, EVERY.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            await().atMost(WAIT).failFast("a publisher was refused or closed",
                    () -> publishers.stream().anyMatch(Publisher::inTrouble))
                    .until(() -> publishers.stream().allMatch(p -> p.acked.size() >= 50));

            int exit = server.terminate();

            assertThat(exit).as("exit code; it printed %s", server.errText()).isZero();
        } finally {
            ticks.shutdownNow();
        }

        for (Publisher publisher : publishers) {
            await().atMost(WAIT).until(publisher.closeCode::isDone);
            assertThat(publisher.unanswered()).as("requests without an answer or a close")
                    .isEmpty();
        }
        // A publisher that sends every 10 ms may have a send fail (broken pipe) as the node
        // closes, before its client library reports the close frame it had received.
        assertThat(publishers).as("publishers that saw 1012")
                .anyMatch(Publisher::sawRestarting)
                .allMatch(p -> p.closeCode.isCompletedExceptionally() || p.sawRestarting());
        Set<String> stored = storedTexts();
        for (Publisher publisher : publishers) {
            assertThat(stored).containsAll(publisher.acked.values());
        }
    }

    private static Set<String> storedTexts() {
        try (RedisBroker broker = RedisBroker.connect(redis.url())) {
            List<Message> history = broker.rooms().history(ROOM, Long.MAX_VALUE, HISTORY)
                    .get(20, TimeUnit.SECONDS);
            assertThat(history).as("the whole room fits in one page").hasSizeLessThan(HISTORY);
            return history.stream().map(Message::text).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("cannot read the room from Redis", e);
        }
    }

    private static void awaitListening(int port, CarteroProcess server) {
        HttpClient http = HttpClient.newHttpClient();
        await("node on " + port).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!server.isAlive()) {
                        throw new AssertionError("the server ended: " + server.errText());
                    }
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + port + "/metrics")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** One WebSocket publisher: sends a chat message per tick and records every answer. */
    private static final class Publisher implements WebSocket.Listener {
        private final FrameCodec codec = new FrameCodec();
        private final String name;
        private final WebSocket socket;
        /** Texts sent, by request id; written by the tick thread. */
        private final Map<Long, String> sent = new ConcurrentHashMap<>();
        private final Map<Long, String> acked = new ConcurrentHashMap<>();
        private final Map<Long, String> refused = new ConcurrentHashMap<>();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private long nextId = 2;

        Publisher(int port, String name) {
            this.name = name;
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this)
                    .orTimeout(10, TimeUnit.SECONDS).join();
            socket.sendText(codec.encode(new Frame.Hello(1L, name, null)), true).join();
        }

        boolean sawRestarting() {
            return !closeCode.isCompletedExceptionally() && closeCode.getNow(0) == 1012;
        }

        boolean inTrouble() {
            if (!refused.isEmpty() || closeCode.isDone()) {
                throw new AssertionError(name + " refused " + refused + " close " + closeCode);
            }
            return false;
        }

        void sendNext() {
            if (closeCode.isDone() || socket.isOutputClosed()) {
                return;
            }
            long id = nextId++;
            String text = name + "-" + id;
            sent.put(id, text);
            try {
                socket.sendText(codec.encode(new Frame.Send(id, ROOM, text,
                        UUID.randomUUID().toString())), true).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                sent.remove(id);
            }
        }

        /**
         * Requests left without an answer although a later one got its answer. Answers come
         * in request order, so only the requests the node never read (sent as it closed) may
         * lack one.
         */
        Set<Long> unanswered() {
            long lastAnswered = Math.max(
                    acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0),
                    refused.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
            return sent.keySet().stream()
                    .filter(id -> id < lastAnswered)
                    .filter(id -> !acked.containsKey(id) && !refused.containsKey(id))
                    .collect(Collectors.toSet());
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Frame frame = codec.decode(partial.toString());
                partial.setLength(0);
                if (frame instanceof Frame.Ack ack) {
                    acked.put(ack.id(), ack.message().text());
                } else if (frame instanceof Frame.Error error && error.id() != null) {
                    refused.put(error.id(), error.code());
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
