package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.cartero.protocol.FrameException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a node: sends request frames and matches their replies by id,
 * hands the frames the node sends on its own to an {@link Inbound}, watches the connection
 * with a heartbeat, and notices when it is lost. A lost connection stays lost: the
 * {@link NodeLink} that owns it opens a new one.
 *
 * <p>Threads. The JDK calls the listener methods one at a time (the <em>reading thread</em>):
 * they reassemble and decode a frame, complete internal futures and queue work, then ask for
 * the next frame; they never run a caller's code, so a slow caller cannot stop the reading.
 * Futures returned by {@link #call} complete on the client's callback pool
 * ({@link ClientThreads}). Sends go out one at a time, in the order they were asked for.
 *
 * <p>Heartbeat. Every {@code pingInterval} the connection sends a {@code ping} frame; when no
 * frame of any kind (WebSocket pings included) came for {@code silenceTimeout}, it takes the
 * connection for dead, aborts it and reports it lost.
 *
 * <p>Thread-safe.
 */
final class NodeConnection implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(NodeConnection.class);
    private static final FrameCodec CODEC = new FrameCodec();

    /** How long a request waits for its reply by default. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** The largest frame the client accepts from a node, in characters (a full history). */
    static final int MAX_INCOMING_CHARS = 16 * 1024 * 1024;
    /** How long {@link #close} waits for the node to answer the close. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /** What a node accepts when its welcome does not say. */
    static final Frame.Limits DEFAULT_LIMITS = new Frame.Limits(65_536, 4_000, 500);
    /** The close code recorded when the connection failed without a close frame. */
    static final int NO_CLOSE_CODE = -1;

    /** What the connection hands on besides replies. */
    interface Inbound {
        /** A {@code message} or {@code history_lost} frame; on the reading thread. */
        void onPush(Frame frame);

        /** {@code connection} was lost, not closed by its owner; once. */
        void onLost(NodeConnection connection, ConnectionLostException cause);
    }

    private enum State { OPEN, CLOSED, LOST }

    private final URI url;
    private final Inbound inbound;
    private final ClientThreads threads;
    private final PendingRequests pending;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    /** Completes when the node's close frame arrives or the connection fails. */
    private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    /** Why requests fail now that the connection is not open; set once the state changed. */
    private volatile BrokerException endCause;
    /** The close code the node sent, or {@link #NO_CLOSE_CODE}; set before the state changes. */
    private volatile int closeCode = NO_CLOSE_CODE;
    /** See {@link #refusal}; written by the reading thread. */
    private volatile ValidationException refusal;
    /** Set once by {@link #onOpen}, before any frame can be sent. */
    private volatile WebSocket socket;
    /** The largest frame the node reads; from its welcome. */
    private volatile int maxFrameBytes = DEFAULT_LIMITS.maxFrameBytes();
    /** {@link System#nanoTime} when the last frame came from the node. */
    private volatile long lastHeard = System.nanoTime();
    /** {@link System#nanoTime} when the last ping went out; owned by the timer thread. */
    private long lastPing = System.nanoTime();
    /** The heartbeat task; set once after opening. */
    private volatile ScheduledFuture<?> heartbeat;

    private final Object sendLock = new Object();
    /** The last send asked for; the next starts when it ends. Guarded by {@code sendLock}. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    /** The text frame being reassembled; owned by the reading thread. */
    private StringBuilder incoming = new StringBuilder();

    private NodeConnection(URI url, Inbound inbound, ClientThreads threads) {
        this.url = url;
        this.inbound = inbound;
        this.threads = threads;
        this.pending = new PendingRequests(url.toString(), threads.timer());
    }

    /**
     * Opens a WebSocket to {@code url}.
     *
     * @throws BrokerException naming the URL if the node cannot be reached in {@code timeout} or
     *     refuses the WebSocket handshake
     */
    static NodeConnection open(URI url, Duration timeout, Inbound inbound,
            ClientThreads threads) {
        return open(url, null, ServerTrust.system(), timeout, inbound, threads);
    }

    /**
     * Opens a WebSocket to {@code url}, presenting {@code token} (a node's password or access
     * token, or {@code null}) as the upgrade's {@code token} parameter, and checking the
     * certificate of a {@code wss://} node with {@code trust}. The token appears in no message
     * and no log: they name {@code url} alone.
     */
    static NodeConnection open(URI url, String token, ServerTrust trust, Duration timeout,
            Inbound inbound, ClientThreads threads) {
        NodeConnection connection = new NodeConnection(url, inbound, threads);
        CompletableFuture<WebSocket> opening = trust.httpClient().newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(withToken(url, token), connection);
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

    /**
     * Why the node refused this connection before any request (a missing or wrong password or
     * token, or too many of them), or {@code null}; set from the error frame it sent before
     * closing with 4007.
     */
    ValidationException refusal() {
        return refusal;
    }

    private static URI withToken(URI url, String token) {
        if (token == null) {
            return url;
        }
        String query = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String existing = url.getRawQuery();
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath()
                + "?" + (existing == null ? query : existing + "&" + query));
    }

    /** The close code the node sent, or {@link #NO_CLOSE_CODE} if it sent none. */
    int closeCode() {
        return closeCode;
    }

    /**
     * Starts the heartbeat: a {@code ping} frame every {@code interval}, and the connection
     * taken for dead after {@code silence} without a frame from the node.
     */
    void watch(Duration interval, Duration silence) {
        long checkMs = Math.max(20, Math.min(interval.toMillis(), silence.toMillis()) / 5);
        heartbeat = threads.timer().scheduleWithFixedDelay(() -> beat(interval, silence),
                checkMs, checkMs, TimeUnit.MILLISECONDS);
        if (!isOpen()) {
            heartbeat.cancel(false);
        }
    }

    private void beat(Duration interval, Duration silence) {
        try {
            checkHeartbeat(interval, silence);
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed url={} error={}", url, e.toString(), e);
        }
    }

    private void checkHeartbeat(Duration interval, Duration silence) {
        long now = System.nanoTime();
        if (now - lastHeard > silence.toNanos()) {
            WebSocket ws = socket;
            lose(new ConnectionLostException("no frame from " + url + " for "
                    + PendingRequests.seconds(silence) + "; the connection is taken for dead"));
            ws.abort();
            return;
        }
        if (now - lastPing >= interval.toNanos()) {
            lastPing = now;
            exchange(Frame.Ping::new, Frame.Pong.class, silence, pong -> pong)
                    .whenComplete((pong, error) -> LOG.debug("heartbeat url={} error={}", url,
                            error == null ? "none" : error.toString()));
        }
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

    /**
     * Sends a request and returns its reply mapped by {@code onReply}, completed on the callback
     * executor. Error frames fail it: see {@link PendingRequests#toException}.
     */
    <R extends Frame, T> CompletableFuture<T> call(LongFunction<Frame> request,
            Class<R> replyType, Function<? super R, ? extends T> onReply) {
        return handOff(exchange(request, replyType, REPLY_TIMEOUT, onReply));
    }

    /** As {@link #call}, waiting {@code timeout} for the reply. */
    <R extends Frame, T> CompletableFuture<T> call(LongFunction<Frame> request,
            Class<R> replyType, Duration timeout, Function<? super R, ? extends T> onReply) {
        return handOff(exchange(request, replyType, timeout, onReply));
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
                pending.fail(id, new ConnectionLostException("cannot send to " + url + ": "
                        + describe(unwrap(error)), unwrap(error)));
            }
        });
        return result;
    }

    /** A future completed like {@code future}, but on the callback executor. */
    <T> CompletableFuture<T> handOff(CompletableFuture<T> future) {
        CompletableFuture<T> handed = new CompletableFuture<>();
        future.whenComplete((value, error) -> threads.callbacks().execute(() -> {
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
        LOG.debug("frame out url={} chars={}", url, text.length());
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
        lastHeard = System.nanoTime();
        try {
            if (incoming.length() + data.length() > MAX_INCOMING_CHARS) {
                webSocket.abort();
                lose(new ConnectionLostException(url + " sent a frame larger than "
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
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        inputClosed.complete(null);
        closeCode = statusCode;
        String said = reason == null || reason.isEmpty() ? "" : "; the node said: " + reason;
        lose(new ConnectionLostException("connection to " + url + " closed by the node with "
                + closeCode(statusCode) + said));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        inputClosed.complete(null);
        lose(new ConnectionLostException("connection to " + url + " failed: "
                + describe(error),
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
        LOG.debug("frame in url={} chars={}", url, text.length());
        if (frame instanceof Frame.MessageFrame || frame instanceof Frame.HistoryLost
                || frame instanceof Frame.Typing) {
            inbound.onPush(frame);
        } else if (frame instanceof Frame.Error error && error.id() == null
                && isRefusal(error.code())) {
            refusal = new ValidationException(ErrorCode.fromWireName(error.code()),
                    error.message());
        } else if (frame.id() == null || !pending.complete(frame)) {
            unmatched(frame);
        }
    }

    private static boolean isRefusal(String code) {
        return ErrorCode.UNAUTHORIZED.wireName().equals(code)
                || ErrorCode.TOO_MANY_ATTEMPTS.wireName().equals(code);
    }

    private void undecodable(FrameException e, String text) {
        LOG.warn("unreadable frame from node url={} code={} error={}", url, e.code().wireName(),
                e.getMessage());
        LOG.debug("unreadable frame url={} chars={}", url, text.length());
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

    /** The connection ended without its owner asking: tell the owner, once. */
    private void lose(ConnectionLostException cause) {
        if (!state.compareAndSet(State.OPEN, State.LOST)) {
            LOG.debug("connection ended url={} cause={}", url, cause.getMessage());
            return;
        }
        endCause = cause;
        stopHeartbeat();
        LOG.warn("connection lost url={} cause={}", url, cause.getMessage());
        pending.failAll(cause);
        inbound.onLost(this, cause);
    }

    /**
     * Closes the connection with a normal close: fails waiting requests with {@code cause},
     * and waits a little for the node to answer the close. Idempotent.
     */
    void close(BrokerException cause) {
        if (state.compareAndSet(State.OPEN, State.CLOSED)) {
            endCause = cause;
            stopHeartbeat();
            pending.failAll(cause);
            closeSocket();
            LOG.debug("connection closed url={}", url);
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void stopHeartbeat() {
        ScheduledFuture<?> task = heartbeat;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Why the connection is not open, once it is not. */
    BrokerException endCause() {
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
        return cause;
    }

    private static BrokerException noAnswer(URI url, Duration timeout) {
        String message = "no answer from " + url + " within " + PendingRequests.seconds(timeout);
        return new BrokerException(message, new HttpTimeoutException(message));
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
                return "code 1001 (the node is going away or found the connection idle)";
            case 1009:
                return "code 1009 (a frame was too large)";
            case 1011:
                return "code 1011 (the node lost a room's subscription in its broker)";
            case 4001:
                return "code 4001 (the client read too slowly)";
            case 1012:
                return "code 1012 (the node is restarting)";
            case 4002:
                return "code 4002 (too many bad frames)";
            case 4003:
                return "code 4003 (no hello in time)";
            case 4004:
                return "code 4004 (the same session connected again elsewhere)";
            case 4005:
                return "code 4005 (too many requests too fast)";
            case 4006:
                return "code 4006 (too many connections from this address)";
            case 4007:
                return "code 4007 (missing or wrong password or token)";
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
}
