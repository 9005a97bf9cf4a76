package io.cartero.broker.memory;

import io.cartero.broker.BrokerException;
import io.cartero.message.ValidationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Whether a memory broker is still open, and the one rule by which its operations report
 * failure: bad input and a closed broker become a failed future, never a thrown exception.
 * Thread-safe.
 */
final class Lifecycle {
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Marks the broker closed; {@code true} only for the first call. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Throws if the broker is closed. */
    void ensureOpen() {
        if (closed.get()) {
            throw closedException();
        }
    }

    /**
     * Runs {@code operation} if the broker is open, turning a {@link ValidationException} or a
     * {@link BrokerException} into a failed future.
     */
    <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> operation) {
        try {
            ensureOpen();
            return operation.get();
        } catch (ValidationException | BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static BrokerException closedException() {
        return new BrokerException("the memory broker is closed");
    }
}
