package io.cartero.node;

import static org.awaitility.Awaitility.await;

import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real WebSocket client for protocol tests, on {@code java.net.http}: sends raw text or
 * encoded frames and collects every frame the node sends, decoded with {@link FrameCodec}.
 * A paused client requests nothing, so it reads nothing until {@link #resume}.
 */
final class TestClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final FrameCodec codec = new FrameCodec();
    /** Every frame received, in order; guarded by itself. */
    private final List<Frame> received = new ArrayList<>();
    private final AtomicLong messageCount = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    /** Frames no {@link #next} has taken yet, oldest first; guarded by {@link #received}. */
    private final List<Frame> unread = new LinkedList<>();

    private TestClient(int port, boolean paused) {
        this(URI.create("ws://127.0.0.1:" + port + "/ws"), paused, Map.of());
    }

    private TestClient(URI url, boolean paused, Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        headers.forEach(builder::header);
        socket = builder.buildAsync(url, new Listener(paused))
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code url} with the extra upgrade {@code headers}. */
    static TestClient connect(URI url, Map<String, String> headers) {
        return new TestClient(url, false, headers);
    }

    static TestClient connect(int port) {
        return new TestClient(port, false);
    }

    /** A client that reads nothing until {@link #resume}. */
    static TestClient connectPaused(int port) {
        return new TestClient(port, true);
    }

    /** Connects and says hello; {@code name} may be null. */
    static TestClient hello(int port, String name) {
        TestClient client = connect(port);
        client.send(new Frame.Hello(1L, name, null));
        client.next(Frame.Welcome.class);
        return client;
    }

    void send(Frame frame) {
        sendRaw(codec.encode(frame));
    }

    void sendRaw(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Starts sending {@code text}; the node may close the connection before it is all sent. */
    CompletableFuture<WebSocket> sendRawAsync(String text) {
        return socket.sendText(text, true);
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Sends {@code request} and returns the next frame that answers its id. */
    <T extends Frame> T call(Frame request, Class<T> replyType) {
        send(request);
        Frame reply = next(frame -> Objects.equals(frame.id(), request.id()));
        if (!replyType.isInstance(reply)) {
            throw new AssertionError("expected " + replyType.getSimpleName() + " but got "
                    + reply);
        }
        return replyType.cast(reply);
    }

    /** Sends {@code request} and returns the error that answers it. */
    Frame.Error callForError(Frame request) {
        return call(request, Frame.Error.class);
    }

    /** The next frame received, whatever it is. */
    Frame next() {
        return next(frame -> true);
    }

    /** The next frame received, which must be of {@code type}. */
    <T extends Frame> T next(Class<T> type) {
        Frame frame = next();
        if (!type.isInstance(frame)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + frame);
        }
        return type.cast(frame);
    }

    /**
     * The oldest frame not yet taken that matches {@code wanted}; the frames it passes stay
     * for later calls.
     */
    Frame next(Predicate<Frame> wanted) {
        Frame ready = advanceTo(wanted);
        if (ready != null) {
            return ready;
        }
        Frame[] found = new Frame[1];
        try {
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
                found[0] = advanceTo(wanted);
                return found[0] != null;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no wanted frame within " + WAIT + "; received "
                    + describeReceived(), e);
        }
        return found[0];
    }

    /** The next {@code count} {@code message} frames of {@code room}, leaving other frames. */
    List<Frame.MessageFrame> messages(String room, int count) {
        List<Frame.MessageFrame> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add((Frame.MessageFrame) next(frame -> frame instanceof Frame.MessageFrame m
                    && m.message().room().equals(room)));
        }
        return messages;
    }

    /** Every frame received so far. */
    List<Frame> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many {@code message} frames have arrived so far. */
    long messageCount() {
        return messageCount.get();
    }

    /** How many WebSocket pings the node has sent. */
    long pings() {
        return pings.get();
    }

    /** Starts reading, for a paused client. */
    void resume() {
        socket.request(Long.MAX_VALUE);
    }

    /** The close code the node sent, once it closed the connection. */
    int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private String describeReceived() {
        List<Frame> frames = received();
        List<Frame> tail = frames.subList(Math.max(0, frames.size() - 20), frames.size());
        String state = !isClosed() ? "still open"
                : closeCode.isCompletedExceptionally() ? "failed" : "closed with "
                        + closeCode.join();
        return frames.size() + " frames, the last ones " + tail + ", " + state;
    }

    private Frame advanceTo(Predicate<Frame> wanted) {
        synchronized (received) {
            Iterator<Frame> frames = unread.iterator();
            while (frames.hasNext()) {
                Frame frame = frames.next();
                if (wanted.test(frame)) {
                    frames.remove();
                    return frame;
                }
            }
            return null;
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final boolean paused;
        private final StringBuilder partial = new StringBuilder();

        Listener(boolean paused) {
            this.paused = paused;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (!paused) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Frame frame = codec.decode(partial.toString());
                partial.setLength(0);
                synchronized (received) {
                    received.add(frame);
                    unread.add(frame);
                }
                if (frame instanceof Frame.MessageFrame) {
                    messageCount.incrementAndGet();
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
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
