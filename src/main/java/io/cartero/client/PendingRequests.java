package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one connection that wait for their reply, by request id. Each gets a timer:
 * a request the node does not answer in time fails with a {@link BrokerException}. Once
 * {@link #failAll} has run, every request fails at once with the same cause.
 *
 * <p>Thread-safe. Futures complete on the thread that completes them (the reading thread for
 * replies, the timer thread for timeouts); callers hand off before running foreign code.
 */
final class PendingRequests {
    private static final Logger LOG = LoggerFactory.getLogger(PendingRequests.class);

    /** Requests that may wait for their reply at once on one connection. */
    static final int MAX_IN_FLIGHT = 10_000;

    private final String url;
    private final ScheduledExecutorService timer;
    private final AtomicLong ids = new AtomicLong();
    /** Waiting requests; entries are added only under {@code this} lock. */
    private final ConcurrentMap<Long, Pending<?>> byId = new ConcurrentHashMap<>();
    /** Why no request can wait any more, or {@code null}; guarded by {@code this}. */
    private BrokerException endCause;

    PendingRequests(String url, ScheduledExecutorService timer) {
        this.url = url;
        this.timer = timer;
    }

    /** A request id never used before on this connection. */
    long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * Waits for the reply to request {@code id}: a frame of {@code replyType}, or an error
     * frame, within {@code timeout}.
     */
    synchronized <R extends Frame> CompletableFuture<R> register(long id, Class<R> replyType,
            String request, Duration timeout) {
        if (endCause != null) {
            return CompletableFuture.failedFuture(endCause);
        }
        if (byId.size() >= MAX_IN_FLIGHT) {
            return CompletableFuture.failedFuture(new BrokerException(
                    "more than " + MAX_IN_FLIGHT + " requests wait for " + url));
        }
        CompletableFuture<R> reply = new CompletableFuture<>();
        ScheduledFuture<?> expiry = timer.schedule(() -> expire(id), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        byId.put(id, new Pending<>(replyType, reply, request, timeout, expiry));
        return reply;
    }

    /** Completes the request {@code reply} answers; {@code false} if none waits for it. */
    boolean complete(Frame reply) {
        Pending<?> pending = byId.remove(reply.id());
        if (pending == null) {
            return false;
        }
        pending.expiry().cancel(false);
        pending.accept(reply, url);
        return true;
    }

    /** Fails request {@code id} if it still waits. */
    void fail(long id, RuntimeException cause) {
        Pending<?> pending = byId.remove(id);
        if (pending != null) {
            pending.expiry().cancel(false);
            pending.reply().completeExceptionally(cause);
        }
    }

    /** Fails every waiting request, and every later one, with {@code cause}. */
    void failAll(BrokerException cause) {
        List<Pending<?>> failed = new ArrayList<>();
        synchronized (this) {
            if (endCause == null) {
                endCause = cause;
            }
            failed.addAll(byId.values());
            byId.clear();
        }
        for (Pending<?> pending : failed) {
            pending.expiry().cancel(false);
            pending.reply().completeExceptionally(cause);
        }
    }

    private void expire(long id) {
        Pending<?> pending = byId.remove(id);
        if (pending != null) {
            LOG.debug("request timed out url={} id={} request={}", url, id, pending.request());
            pending.reply().completeExceptionally(new ReplyTimeoutException("no reply from " + url
                    + " to " + pending.request() + " within " + seconds(pending.timeout())));
        }
    }

    /**
     * The exception an error frame stands for: a {@link BrokerException} when the node or its
     * broker failed, a {@link ConnectionLostException} when the node is shutting down (the
     * connection is about to close; a repeatable request goes to the next one), a
     * {@link ValidationException} with the frame's code when the request was refused.
     */
    static RuntimeException toException(Frame.Error error, String url) {
        ErrorCode code = ErrorCode.fromWireName(error.code());
        String message = error.message() == null ? error.code() : error.message();
        if (code == ErrorCode.SHUTTING_DOWN) {
            return new ConnectionLostException(url + " is shutting down: " + message);
        }
        if (code == ErrorCode.BROKER_UNAVAILABLE || code == ErrorCode.INTERNAL) {
            return new BrokerException(url + " could not complete the request: " + message
                    + " (" + error.code() + ")");
        }
        return new ValidationException(code, message);
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private record Pending<R extends Frame>(Class<R> type, CompletableFuture<R> reply,
            String request, Duration timeout, ScheduledFuture<?> expiry) {

        void accept(Frame frame, String url) {
            if (frame instanceof Frame.Error error) {
                reply.completeExceptionally(toException(error, url));
            } else if (type.isInstance(frame)) {
                reply.complete(type.cast(frame));
            } else {
                reply.completeExceptionally(new BrokerException(url + " answered " + request
                        + " with an unexpected " + frame.getClass().getSimpleName() + " frame"));
            }
        }
    }
}
