package io.cartero.cli;

import io.cartero.broker.BrokerException;
import io.cartero.message.ValidationException;
import io.cartero.message.VisibleText;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Explains a failure in the user's language and picks its exit code: refusals (bad input, an
 * error the server sent) exit 1, a lost or impossible connection exits 3. Also picocli's last
 * resort for anything a command throws. Thread-safe.
 */
final class Failures implements IExecutionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private final Texts texts;

    Failures(Texts texts) {
        this.texts = texts;
    }

    /** What went wrong, for people, and the exit code it deserves. */
    record Failure(int exitCode, String message) {
    }

    /** Explains {@code error}, looking through the wrappers of futures. */
    Failure explain(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof CommandException failure) {
            return new Failure(failure.exitCode(), texts.get(failure.key(), failure.args()));
        }
        if (cause instanceof ValidationException refusal) {
            return refused(refusal);
        }
        if (cause instanceof BrokerException) {
            return new Failure(ExitCodes.UNREACHABLE,
                    texts.get("error.connection_lost", VisibleText.name(detail(cause))));
        }
        if (cause instanceof TimeoutException) {
            return new Failure(ExitCodes.UNREACHABLE, texts.get("error.timeout"));
        }
        LOG.debug("unexpected failure", cause);
        return new Failure(ExitCodes.REFUSED,
                texts.get("error.unexpected", VisibleText.name(detail(cause))));
    }

    @Override
    public int handleExecutionException(
            Exception error, CommandLine commandLine, ParseResult parseResult) {
        Failure failure = explain(error);
        LOG.debug("command failed exit={}", failure.exitCode(), error);
        commandLine.getErr().println(failure.message());
        commandLine.getErr().flush();
        return failure.exitCode();
    }

    private Failure refused(ValidationException error) {
        return new Failure(ExitCodes.REFUSED, texts.get("error." + error.code().wireName()));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String detail(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
