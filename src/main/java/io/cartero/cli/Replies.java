package io.cartero.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits, with a bound, for a broker's replies and rethrows their failures as they came. */
final class Replies {
    /** How long any reply may take before the server counts as unreachable. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Replies() {
    }

    /**
     * The value of {@code future}. A {@link io.cartero.message.ValidationException} or
     * {@link io.cartero.broker.BrokerException} that failed it is thrown as is.
     *
     * @throws CommandException with {@link ExitCodes#UNREACHABLE} if no reply came in time
     */
    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.timeout");
        }
    }

    private static RuntimeException rethrowable(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CompletionException(cause);
    }
}
