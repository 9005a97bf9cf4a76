package io.cartero.node;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one connection's replies in the order its requests came, whatever order the broker
 * answers them in: each reply waits for the one before it (an ordered chain of futures), so a
 * fast answer never overtakes a slow one. A failed request becomes an {@code error} frame;
 * refused requests are counted, and too many close the connection with 4002.
 *
 * <p>Requests are added by the connection's inbound steps, one at a time; the replies are
 * written by whichever thread completes them.
 */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
    private static final Runnable NOTHING = () -> { };

    private final String conn;
    private final Outbox outbox;
    private final FrameCodec codec;
    private final ErrorBudget errors;
    private final NodeMetrics metrics;
    private final BrokerFailures failures;
    /** Requests whose reply is not written yet (or given up); any thread. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * The replies the broker has not answered yet, with their request ids; removed by whoever
     * completes them.
     */
    private final Map<CompletableFuture<Reply>, Optional<Long>> unanswered =
            new ConcurrentHashMap<>();
    /** Requests failed with {@code shutting_down} because the node stopped first. */
    private final AtomicInteger failedByShutdown = new AtomicInteger();
    /** Set once the node starts to shut down: cancelled requests then get an error. */
    private volatile boolean draining;
    /** Completes when the latest reply is written; only the inbound steps replace it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    Replies(String conn, Outbox outbox, FrameCodec codec, ErrorBudget errors,
            NodeMetrics metrics, BrokerFailures failures) {
        this.conn = conn;
        this.outbox = outbox;
        this.codec = codec;
        this.errors = errors;
        this.metrics = metrics;
        this.failures = failures;
    }

    /** Sends {@code reply} (or the error it fails with) after every earlier reply. */
    void answer(Long id, CompletionStage<? extends Frame> reply) {
        answer(id, reply, NOTHING);
    }

    /**
     * Sends {@code reply} after every earlier reply, then runs {@code afterWrite} (if the reply
     * did not fail) before any later reply.
     */
    void answer(Long id, CompletionStage<? extends Frame> reply, Runnable afterWrite) {
        if (!outbox.reserve(0)) {
            return;
        }
        CompletableFuture<Reply> ready = prepare(id, reply);
        tail = tail.thenCombine(ready, (ignored, text) -> text)
                .thenAccept(text -> write(text, afterWrite))
                .exceptionally(this::logged);
    }

    /** Sends {@code reply} as soon as it completes, outside the order (for {@code pop}). */
    void answerWhenReady(Long id, CompletionStage<? extends Frame> reply) {
        if (!outbox.reserve(0)) {
            return;
        }
        prepare(id, reply).thenAccept(text -> write(text, NOTHING)).exceptionally(this::logged);
    }

    /** Sends an error frame for request {@code id}, in order. */
    void refuse(Long id, ErrorCode code, String message) {
        answer(id, CompletableFuture.failedFuture(new ValidationException(code, message)));
    }

    /** How many requests have no reply written yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** From now on a cancelled request is answered with {@code shutting_down}. */
    void drain() {
        draining = true;
    }

    /**
     * Answers every request the broker has not answered yet with {@code shutting_down}, in
     * order; a broker answer that comes later is dropped.
     *
     * @return how many requests were failed since {@link #drain}, these included
     */
    int failUnanswered() {
        for (Map.Entry<CompletableFuture<Reply>, Optional<Long>> entry
                : List.copyOf(unanswered.entrySet())) {
            if (entry.getKey().complete(shuttingDown(entry.getValue().orElse(null)))) {
                failedByShutdown.incrementAndGet();
            }
        }
        return failedByShutdown.get();
    }

    private Reply shuttingDown(Long id) {
        return new Reply(codec.encode(error(id, ErrorCode.SHUTTING_DOWN,
                "the node shut down before the request finished; it may or may not have "
                        + "taken effect")), false);
    }

    private CompletableFuture<Reply> prepare(Long id, CompletionStage<? extends Frame> reply) {
        inFlight.incrementAndGet();
        CompletableFuture<Reply> ready =
                reply.handle((frame, failure) -> encode(id, frame, failure)).toCompletableFuture();
        if (!ready.isDone()) {
            unanswered.put(ready, Optional.ofNullable(id));
            ready.whenComplete((text, failure) -> unanswered.remove(ready));
        }
        return ready;
    }

    private void write(Reply reply, Runnable afterWrite) {
        inFlight.decrementAndGet();
        if (reply.text == null) {
            outbox.cancel(0);
            return;
        }
        outbox.send(reply.text, 0);
        if (reply.succeeded) {
            afterWrite.run();
        }
    }

    private Reply encode(Long id, Frame frame, Throwable failure) {
        try {
            if (failure == null) {
                return new Reply(codec.encode(frame), true);
            }
            Frame.Error error = errorFor(id, unwrap(failure));
            return new Reply(error == null ? null : codec.encode(error), false);
        } catch (RuntimeException e) {
            LOG.warn("cannot encode reply conn={} id={}", conn, id, e);
            return new Reply(null, false);
        }
    }

    private Frame.Error errorFor(Long id, Throwable failure) {
        if (failure instanceof CancellationException) {
            if (!draining) {
                return null;
            }
            failedByShutdown.incrementAndGet();
            return error(id, ErrorCode.SHUTTING_DOWN, "the node is shutting down");
        }
        if (failure instanceof ValidationException invalid) {
            LOG.debug("request refused conn={} id={} code={}", conn, id, invalid.code());
            if (invalid.code() != ErrorCode.SHUTTING_DOWN) {
                countError();
            }
            return error(id, invalid.code(), invalid.getMessage());
        }
        if (failure instanceof BrokerException) {
            metrics.brokerError();
            failures.failed(conn, id, failure.getMessage());
            return error(id, ErrorCode.BROKER_UNAVAILABLE,
                    "the broker could not complete the request: " + failure.getMessage());
        }
        LOG.warn("request failed conn={} id={}", conn, id, failure);
        return error(id, ErrorCode.INTERNAL, "unexpected failure in the node");
    }

    private void countError() {
        if (errors.spend(System.nanoTime()) && !outbox.closing()) {
            LOG.warn("too many errors, closing conn={}", conn);
            outbox.close(Outbox.TOO_MANY_ERRORS, "too many errors");
        }
    }

    private static Frame.Error error(Long id, ErrorCode code, String message) {
        return new Frame.Error(id, code.wireName(), message);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Void logged(Throwable failure) {
        LOG.warn("reply not sent conn={}", conn, failure);
        return null;
    }

    /** A reply's text ({@code null}: nothing to send) and whether the request succeeded. */
    private record Reply(String text, boolean succeeded) {
    }
}
