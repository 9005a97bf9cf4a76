package io.cartero.broker;

import io.cartero.message.ErrorCode;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * A queue message taken under a lease: it stays in the broker until confirmed with
 * {@code receipt}, or goes back to the queue when the lease ends.
 *
 * @param message the message
 * @param receipt what {@link Queues#confirm} needs; opaque, unique within the queue
 * @param attempt 1 the first time the message is taken, 2 the second, and so on
 */
public record Taken(QueueMessage message, String receipt, int attempt) {
    /** The shortest lease a consumer may ask for. */
    public static final Duration SHORTEST_LEASE = Duration.ofSeconds(1);
    /** The longest lease a consumer may ask for. */
    public static final Duration LONGEST_LEASE = Duration.ofHours(1);
    /** The longest receipt, in characters. */
    public static final int MAX_RECEIPT_LENGTH = 128;

    public Taken {
        Objects.requireNonNull(message, "message");
        requireReceipt(receipt);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }

    /** Checks a lease asked for by a consumer and returns it. */
    public static Duration requireLease(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.compareTo(SHORTEST_LEASE) < 0 || lease.compareTo(LONGEST_LEASE) > 0) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "lease must be between 1 second and 1 hour: " + lease.toMillis() + " ms");
        }
        return lease;
    }

    /** Checks a receipt given by a consumer and returns it. */
    public static String requireReceipt(String receipt) {
        Objects.requireNonNull(receipt, "receipt");
        if (receipt.isEmpty() || receipt.length() > MAX_RECEIPT_LENGTH) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "receipt must be 1-" + MAX_RECEIPT_LENGTH + " characters");
        }
        return receipt;
    }
}
