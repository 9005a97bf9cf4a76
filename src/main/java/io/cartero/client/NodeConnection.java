package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.cartero.protocol.FrameException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a node: sends request frames and matches their replies by id,
 * hands the frames the node sends on its own to an {@link Inbound}, and notices when the
 * connection is lost.
 *
 * <p>Threads. The JDK calls the listener methods one at a time (the <em>reading thread</em>):
 * they reassemble and decode a frame, complete internal futures and queue work, then ask for
 * the next frame; they never run a caller's code, so a slow caller cannot stop the reading.
 * Futures returned by {@link #call} complete on the <em>callback executor</em>, a pool of
 * daemon threads that grows with the callbacks running at once and shrinks when they are idle,
 * so that a caller may even wait for another request inside a callback. Sends go out one at a
 * time, in the order they were asked for.
 *
 * <p>Thread-safe.
 */
final class NodeConnection implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(NodeConnection.class);
    private static final FrameCodec CODEC = new FrameCodec();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** How long a request waits for its reply by default. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** The largest frame the client accepts from a node, in characters (a full history). */
    static final int MAX_INCOMING_CHARS = 16 * 1024 * 1024;
    /** How long {@link #close} waits for the node to answer the close. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /** What a node accepts when its welcome does not say. */
    static final Frame.Limits DEFAULT_LIMITS = new Frame.Limits(65_536, 4_000, 500);

    /** What the connection hands on besides replies. */
    interface Inbound {
        /** A {@code message} or {@code history_lost} frame; on the reading thread. */
        void onPush(Frame frame);

        /** The connection was lost; on the reading thread, once. */
        void onLost(BrokerException cause);

        /** The owner closed the connection; once, before the client's threads stop. */
        void onClosed(BrokerException cause);
    }

    private enum State { OPEN, CLOSED, LOST }

    private final URI url;
    private final Inbound inbound;
    private final ThreadPoolExecutor callbacks;
    private final ScheduledThreadPoolExecutor timer;
    private final PendingRequests pending;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    /** Completes with the cause when the connection is lost, never when the owner closes. */
    private final CompletableFuture<BrokerException> lost = new CompletableFuture<>();
    /** Completes when the node's close frame arrives or the connection fails. */
    private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    /** Why requests fail now that the connection is not open; set once the state changed. */
    private volatile BrokerException endCause;
    /** Set once by {@link #onOpen}, before any frame can be sent. */
    private volatile WebSocket socket;
    /** The largest frame the node reads; from its welcome. */
    private volatile int maxFrameBytes = DEFAULT_LIMITS.maxFrameBytes();

    private final Object sendLock = new Object();
    /** The last send asked for; the next starts when it ends. Guarded by {@code sendLock}. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    /** The text frame being reassembled; owned by the reading thread. */
    private StringBuilder incoming = new StringBuilder();

    private NodeConnection(URI url, Inbound inbound) {
        int number = SEQUENCE.incrementAndGet();
        this.url = url;
        this.inbound = inbound;
        this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("cartero-client-" + number + "-callback"));
        this.timer = new ScheduledThreadPoolExecutor(1,
                daemonThreads("cartero-client-" + number + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.pending = new PendingRequests(url.toString(), timer);
    }

    /**
     * Opens a WebSocket to {@code url}.
     *
     * @throws BrokerException naming the URL if the node cannot be reached in {@code timeout} or
     *     refuses the WebSocket handshake
     */
    static NodeConnection open(URI url, Duration timeout, Inbound inbound) {
        NodeConnection connection = new NodeConnection(url, inbound);
        CompletableFuture<WebSocket> opening = Http.CLIENT.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(url, connection);
        try {
            connection.socket = opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("websocket open url={}", url);
            return connection;
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort);
            throw connection.failedToOpen(noAnswer(url, timeout));
        } catch (ExecutionException e) {
            throw connection.failedToOpen(unreachable(url, timeout, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw connection.failedToOpen(
                    new BrokerException("interrupted while connecting to " + url, e));
        }
    }

    URI url() {
        return url;
    }

    /** Runs {@code task} on the callback executor, or here once the executor has stopped. */
    Executor callbacks() {
        return task -> {
            try {
                callbacks.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /**
     * The callback executor itself, for {@link DeliveryLane}s: once it has stopped, their
     * callbacks are dropped instead of run on the thread that offers them.
     */
    Executor laneExecutor() {
        return callbacks;
    }

    /** Applies the limits of the node's welcome. */
    void welcomed(Frame.Limits limits) {
        maxFrameBytes = limits.maxFrameBytes();
    }

    boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /** Throws the reason the connection is not open, if it is not. */
    void requireOpen() {
        if (!isOpen()) {
            throw endCause();
        }
    }

    /** Completes with the cause if the connection is lost; never if the owner closes it. */
    CompletableFuture<BrokerException> lost() {
        return lost;
    }

    /**
     * Sends a request and returns its reply mapped by {@code onReply}, completed on the callback
     * executor. Error frames fail it: see {@link PendingRequests#toException}.
     */
    <R extends Frame, T> CompletableFuture<T> call(LongFunction<Frame> request,
            Class<R> replyType, Function<? super R, ? extends T> onReply) {
        return handOff(exchange(request, replyType, REPLY_TIMEOUT, onReply));
    }

    /**
     * Sends a request. {@code onReply} runs on the reading thread as soon as the reply is read,
     * before the next frame is, and must be quick; the returned future completes there too, so
     * only internal code may depend on it.
     */
    <R extends Frame, T> CompletableFuture<T> exchange(LongFunction<Frame> request,
            Class<R> replyType, Duration timeout, Function<? super R, ? extends T> onReply) {
        if (!isOpen()) {
            return CompletableFuture.failedFuture(endCause());
        }
        long id = pending.nextId();
        Frame frame = request.apply(id);
        String text = CODEC.encode(frame);
        if (text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes) {
            return CompletableFuture.failedFuture(new ValidationException(
                    ErrorCode.FRAME_TOO_LARGE, "request is larger than the " + maxFrameBytes
                            + " bytes " + url + " accepts"));
        }

        String name = frame.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        CompletableFuture<T> result = pending.register(id, replyType, name, timeout)
                .thenApply(onReply);
        send(text).whenComplete((sent, error) -> {
            if (error != null) {
                pending.fail(id, new BrokerException("cannot send to " + url + ": "
                        + describe(unwrap(error)), unwrap(error)));
            }
        });
        return result;
    }

    /** A future completed like {@code future}, but on the callback executor. */
    <T> CompletableFuture<T> handOff(CompletableFuture<T> future) {
        CompletableFuture<T> handed = new CompletableFuture<>();
        future.whenComplete((value, error) -> callbacks().execute(() -> {
            if (error == null) {
                handed.complete(value);
            } else {
                handed.completeExceptionally(unwrap(error));
            }
        }));
        return handed;
    }

    private CompletableFuture<WebSocket> send(String text) {
        WebSocket ws = socket;
        LOG.debug("frame out url={} frame={}", url, text);
        synchronized (sendLock) {
            CompletableFuture<WebSocket> sent = lastSend.handle((ignored, error) -> ws)
                    .thenCompose(previous -> ws.sendText(text, true));
            lastSend = sent;
            return sent;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        try {
            if (incoming.length() + data.length() > MAX_INCOMING_CHARS) {
                webSocket.abort();
                lose(new BrokerException(url + " sent a frame larger than "
                        + MAX_INCOMING_CHARS + " characters; connection closed"));
                return null;
            }
            incoming.append(data);
            if (last) {
                String text = incoming.toString();
                incoming = incoming.capacity() > 65_536 ? new StringBuilder() : incoming;
                incoming.setLength(0);
                dispatch(text);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot handle frame url={} error={}", url, e.toString(), e);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        LOG.debug("binary frame ignored url={} bytes={}", url, data.remaining());
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        inputClosed.complete(null);
        String said = reason == null || reason.isEmpty() ? "" : "; the node said: " + reason;
        lose(new BrokerException("connection to " + url + " closed by the node with "
                + closeCode(statusCode) + said));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        inputClosed.complete(null);
        lose(new BrokerException("connection to " + url + " failed: " + describe(error),
                error));
    }

    private void dispatch(String text) {
        Frame frame;
        try {
            frame = CODEC.decode(text);
        } catch (FrameException e) {
            undecodable(e, text);
            return;
        }
        LOG.debug("frame in url={} frame={}", url, text);
        if (frame instanceof Frame.MessageFrame || frame instanceof Frame.HistoryLost) {
            inbound.onPush(frame);
        } else if (frame.id() == null || !pending.complete(frame)) {
            unmatched(frame);
        }
    }

    private void undecodable(FrameException e, String text) {
        LOG.warn("unreadable frame from node url={} code={} error={}", url, e.code().wireName(),
                e.getMessage());
        LOG.debug("unreadable frame url={} frame={}", url, text);
        if (e.requestId() != null) {
            pending.fail(e.requestId(), new BrokerException(url
                    + " sent a reply the client cannot read: " + e.getMessage()));
        }
    }

    private void unmatched(Frame frame) {
        if (frame instanceof Frame.Popped popped && popped.message() != null) {
            LOG.warn("queue message arrived after its pop had failed; it is lost url={} queue={}",
                    url, popped.queue());
        } else if (frame instanceof Frame.Error error) {
            LOG.warn("node error for no waiting request url={} id={} code={} message={}", url,
                    error.id(), error.code(), error.message());
        } else {
            LOG.debug("frame for no waiting request url={} type={} id={}", url,
                    frame.getClass().getSimpleName(), frame.id());
        }
    }

    /** The connection ended without its owner asking: tell everyone, once. */
    private void lose(BrokerException cause) {
        if (!state.compareAndSet(State.OPEN, State.LOST)) {
            LOG.debug("connection ended url={} cause={}", url, cause.getMessage());
            return;
        }
        endCause = cause;
        LOG.warn("connection lost url={} cause={}", url, cause.getMessage());
        pending.failAll(cause);
        timer.shutdownNow();
        inbound.onLost(cause);
        lost.complete(cause);
    }

    /**
     * Closes the connection with a normal close: fails waiting requests, ends subscriptions,
     * waits a little for the node to answer the close, then stops the client's threads once
     * they have run what was given to them. Idempotent.
     */
    void close() {
        BrokerException closed = new BrokerException("the client of " + url + " is closed");
        if (state.compareAndSet(State.OPEN, State.CLOSED)) {
            endCause = closed;
            pending.failAll(closed);
            inbound.onClosed(closed);
            closeSocket();
            LOG.info("disconnected url={}", url);
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        timer.shutdownNow();
        callbacks.shutdown();
    }

    private BrokerException endCause() {
        BrokerException cause = endCause;
        return cause != null ? cause
                : new BrokerException("the connection to " + url + " is closed");
    }

    private void closeSocket() {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        CompletableFuture<WebSocket> closing;
        synchronized (sendLock) {
            closing = lastSend.handle((ignored, error) -> ws)
                    .thenCompose(previous -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            lastSend = closing;
        }
        try {
            CompletableFuture.allOf(closing, inputClosed)
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("close not answered url={} error={}", url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BrokerException failedToOpen(BrokerException cause) {
        state.set(State.CLOSED);
        endCause = cause;
        pending.failAll(cause);
        timer.shutdownNow();
        callbacks.shutdown();
        return cause;
    }

    private static BrokerException noAnswer(URI url, Duration timeout) {
        return new BrokerException("no answer from " + url + " within "
                + PendingRequests.seconds(timeout));
    }

    private static BrokerException unreachable(URI url, Duration timeout, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException refused) {
            return new BrokerException(url + " refused the WebSocket connection (HTTP "
                    + refused.getResponse().statusCode() + "); is it a Cartero node?", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return noAnswer(url, timeout);
        }
        if (cause instanceof ConnectException) {
            return new BrokerException("cannot reach " + url
                    + ": connection refused; is the node running?", cause);
        }
        return new BrokerException("cannot reach " + url + ": " + describe(cause), cause);
    }

    private static String closeCode(int code) {
        switch (code) {
            case WebSocket.NORMAL_CLOSURE:
                return "code 1000 (normal close)";
            case 1001:
                return "code 1001 (the node is shutting down)";
            case 1009:
                return "code 1009 (a frame was too large)";
            case 1011:
                return "code 1011 (the node lost a room's subscription in its broker)";
            case 4001:
                return "code 4001 (the client read too slowly)";
            case 4002:
                return "code 4002 (too many bad frames)";
            default:
                return "code " + code;
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The JDK HTTP client every connection shares; its threads are daemons. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newHttpClient();
    }
}
