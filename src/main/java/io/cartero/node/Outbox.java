package io.cartero.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames on their way to one WebSocket, bounded. Jetty's send is asynchronous and queues
 * without limit, so this counts every frame from the moment it is reserved until Jetty reports
 * it written (or failed); when the count passes the bound, the connection is closed with 4001
 * and nothing more is queued for it. Never blocks. Thread-safe: frames written by one thread
 * go out in the order that thread wrote them.
 */
final class Outbox {
    /** Close code: the client did not read and the outgoing buffer passed its bound. */
    static final int SLOW_CONSUMER = 4001;
    /** Close code: the client sent too many bad frames. */
    static final int TOO_MANY_ERRORS = 4002;
    /** Close code: the node is stopping without a graceful shutdown, or the client was silent. */
    static final int GOING_AWAY = 1001;
    /** Close code: the node is shutting down or restarting; reconnect, to another if known. */
    static final int RESTARTING = 1012;
    /** Close code: no hello within the hello timeout. */
    static final int NO_HELLO = 4003;
    /** Close code: the same session connected again; the client must not reconnect. */
    static final int REPLACED = 4004;
    /** Close code: the client went on sending faster than its rate limit. */
    static final int RATE_LIMITED = 4005;
    /** Close code: too many connections are open from the client's address. */
    static final int TOO_MANY_CONNECTIONS = 4006;
    /** Close code: the password or token is missing or wrong, or tried too often. */
    static final int UNAUTHORIZED = 4007;
    /** Close code: the node lost its broker subscription for this connection. */
    static final int SERVER_ERROR = 1011;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** How long a slow consumer has to take the close frame before its socket is dropped. */
    private static final Duration DISCONNECT_AFTER = Duration.ofSeconds(1);

    private final String conn;
    private final Session session;
    /**
     * Jetty's own session under {@link #session}, which sends bytes as they are (one encoding
     * shared by every recipient); null if the session is not Jetty's.
     */
    private final CoreSession core;
    private final long maxBytes;
    private final int maxFrames;
    private final Runnable onClosing;
    private final NodeMetrics metrics;
    /** Frames reserved or handed to Jetty and not yet written. */
    private final AtomicInteger frames = new AtomicInteger();
    /** Bytes of those frames (reserved frames count what they reserved). */
    private final AtomicLong bytes = new AtomicLong();
    /** Set once, when the node closes the connection; afterwards nothing is queued. */
    private final AtomicBoolean closing = new AtomicBoolean();

    /**
     * @param onClosing runs once, right after the node starts to close the connection (it
     *     may run on any thread that writes, while that thread holds a feed's lock)
     */
    Outbox(String conn, Session session, long maxBytes, int maxFrames, Runnable onClosing,
            NodeMetrics metrics) {
        this.conn = conn;
        this.session = session;
        this.core = session instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
        this.maxBytes = maxBytes;
        this.maxFrames = maxFrames;
        this.onClosing = onClosing;
        this.metrics = metrics;
    }

    /**
     * Counts a frame of {@code size} bytes that will be sent later with {@link #send} or given
     * back with {@link #cancel}.
     *
     * @return {@code false} if the connection is closing or this passes the bound (which
     *     closes it); nothing was counted then
     */
    boolean reserve(long size) {
        if (closing.get()) {
            return false;
        }
        int pendingFrames = frames.incrementAndGet();
        long pendingBytes = bytes.addAndGet(size);
        if (pendingFrames > maxFrames || pendingBytes > maxBytes) {
            release(size);
            overflow(pendingFrames, pendingBytes);
            return false;
        }
        return true;
    }

    /** Sends a frame counted by {@link #reserve} with {@code reserved} bytes. */
    void send(String text, long reserved) {
        long size = Utf8.length(text);
        long pendingBytes = bytes.addAndGet(size - reserved);
        if (closing.get()) {
            release(size);
            return;
        }
        if (pendingBytes > maxBytes) {
            release(size);
            overflow(frames.get(), pendingBytes);
            return;
        }
        session.sendText(text, Callback.from(() -> release(size), failure -> release(size)));
    }

    /** Gives back a reservation that will not be sent. */
    void cancel(long reserved) {
        release(reserved);
    }

    /**
     * Sends a frame counted by {@link #reserve} with {@code reserved} bytes, already encoded in
     * UTF-8; {@code utf8} may be shared with other connections and is never changed.
     */
    void send(byte[] utf8, long reserved) {
        send(utf8, reserved, false);
    }

    /**
     * As {@link #send(byte[], long)}; with {@code batch} true, Jetty may keep the frame in its
     * buffer until a frame sent without it, or {@link #flush}, writes them all at once.
     */
    void send(byte[] utf8, long reserved, boolean batch) {
        long size = utf8.length;
        long pendingBytes = bytes.addAndGet(size - reserved);
        if (closing.get()) {
            release(size);
            return;
        }
        if (pendingBytes > maxBytes) {
            release(size);
            overflow(frames.get(), pendingBytes);
            return;
        }
        if (core == null) {
            session.sendText(new String(utf8, StandardCharsets.UTF_8),
                    Callback.from(() -> release(size), failure -> release(size)));
            return;
        }
        core.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(utf8)),
                org.eclipse.jetty.util.Callback.from(() -> release(size), failure -> release(size)),
                batch);
    }

    /** Writes the frames Jetty holds back for this connection, if any. */
    void flush() {
        if (core != null && !closing.get()) {
            core.flush(org.eclipse.jetty.util.Callback.NOOP);
        }
    }

    /** Reserves and sends one frame encoded in UTF-8; drops it if the connection is closing. */
    void write(byte[] utf8) {
        write(utf8, false);
    }

    /** As {@link #write(byte[])}, held back in Jetty's buffer while {@code batch} is true. */
    void write(byte[] utf8, boolean batch) {
        if (reserve(utf8.length)) {
            send(utf8, utf8.length, batch);
        }
    }

    /** Reserves and sends one frame; drops it if the connection is closing. */
    void write(String text) {
        long size = Utf8.length(text);
        if (reserve(size)) {
            send(text, size);
        }
    }

    /** Closes the connection with {@code code}, once; later frames are dropped. */
    void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            session.close(code, reason, Callback.NOOP);
            onClosing.run();
        }
    }

    /** Frames counted and not yet written. */
    int pendingFrames() {
        return frames.get();
    }

    /** Bytes counted and not yet written. */
    long pendingBytes() {
        return bytes.get();
    }

    /** Whether the node has started to close this connection. */
    boolean closing() {
        return closing.get();
    }

    private void disconnectIfOpen() {
        if (session.isOpen()) {
            LOG.debug("slow consumer did not close, disconnecting conn={}", conn);
            session.disconnect();
        }
    }

    private void release(long size) {
        frames.decrementAndGet();
        bytes.addAndGet(-size);
    }

    private void overflow(int pendingFrames, long pendingBytes) {
        if (closing.compareAndSet(false, true)) {
            LOG.warn("slow consumer, closing conn={} pending_frames={} pending_bytes={}", conn,
                    pendingFrames, pendingBytes);
            metrics.slowClient();
            session.close(SLOW_CONSUMER, "slow consumer: outgoing buffer full", Callback.NOOP);
            // A client that does not read never reads the close frame either: drop the socket
            // soon, which fails the writes still queued and frees what they hold.
            CompletableFuture.delayedExecutor(DISCONNECT_AFTER.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(this::disconnectIfOpen);
            onClosing.run();
        }
    }
}
