package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The checks a node client makes before it sends anything. */
final class ClientChecks {

    private ClientChecks() {
    }

    /**
     * Runs {@code request}; a {@link ValidationException} or {@link BrokerException} it throws
     * becomes a failed future, as the broker ports promise.
     */
    static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> request) {
        try {
            return request.get();
        } catch (ValidationException | BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Requires {@code user} to be the session's own name: the node stamps every message with
     * it, so a client can act only as itself.
     *
     * @param session the name the node accepted, or {@code null} for an anonymous session
     * @param user the user the caller acts as
     * @param action what the caller wants to do, for the message ("publish", "push")
     */
    static void requireSelf(String session, String user, String action) {
        if (session == null) {
            throw new ValidationException(ErrorCode.NAME_REQUIRED, "an anonymous client cannot "
                    + action + "; connect with a name");
        }
        if (!session.equals(user)) {
            throw new ValidationException(ErrorCode.INVALID_NAME, "this client is connected as \""
                    + session + "\" and cannot " + action + " as \"" + user + "\"");
        }
    }
}
