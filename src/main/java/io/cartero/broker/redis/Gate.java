package io.cartero.broker.redis;

import io.cartero.broker.BrokerException;
import io.cartero.message.ValidationException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Whether a Redis broker is open, and the one rule by which its operations report: bad input
 * becomes a failed future with the {@link ValidationException}; anything Redis or Lettuce
 * throws becomes a {@link BrokerException} that names the Redis URL. Results are completed on
 * the broker's callback threads, never on Lettuce's I/O threads, so a caller that blocks in a
 * continuation cannot stall the connection. Thread-safe.
 */
final class Gate {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String url;
    private final Executor callbacks;

    Gate(String url, Executor callbacks) {
        this.url = url;
        this.callbacks = callbacks;
    }

    /** Marks the broker closed; {@code true} only for the first call. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Runs {@code operation} if the broker is open; its outcome as described above. */
    <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> operation) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletionStage<T> stage;
        try {
            stage = operation.get();
        } catch (ValidationException | BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> handOver(() -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(translate(failure));
            }
        }));
        return result;
    }

    /** What {@code failure} means to a caller of the broker. */
    RuntimeException translate(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ValidationException validation) {
            return validation;
        }
        if (closed.get()) {
            return closedException();
        }
        if (cause instanceof BrokerException broker) {
            return broker;
        }
        if (cause instanceof RedisConnectionException || String.valueOf(cause.getMessage())
                .contains("not connected")) {
            return new BrokerException("Redis at " + url + " is unreachable (reconnecting): "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof RedisCommandTimeoutException) {
            return new BrokerException("Redis at " + url + " did not answer in time", cause);
        }
        return new BrokerException("Redis at " + url + " failed: " + cause.getMessage(), cause);
    }

    /** The threads on which results are completed. */
    Executor callbacks() {
        return callbacks;
    }

    BrokerException closedException() {
        return new BrokerException("the Redis broker for " + url + " is closed");
    }

    private void handOver(Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
