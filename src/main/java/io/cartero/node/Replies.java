package io.cartero.node;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
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
    /** Completes when the latest reply is written; only the inbound steps replace it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    Replies(String conn, Outbox outbox, FrameCodec codec, ErrorBudget errors) {
        this.conn = conn;
        this.outbox = outbox;
        this.codec = codec;
        this.errors = errors;
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

    private CompletableFuture<Reply> prepare(Long id, CompletionStage<? extends Frame> reply) {
        return reply.handle((frame, failure) -> encode(id, frame, failure)).toCompletableFuture();
    }

    private void write(Reply reply, Runnable afterWrite) {
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
            return null;
        }
        if (failure instanceof ValidationException invalid) {
            LOG.debug("request refused conn={} id={} code={}", conn, id, invalid.code());
            countError();
            return error(id, invalid.code(), invalid.getMessage());
        }
        if (failure instanceof BrokerException) {
            LOG.warn("broker failed conn={} id={} error={}", conn, id, failure.getMessage());
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
