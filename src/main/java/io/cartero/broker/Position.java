package io.cartero.broker;

import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import java.util.Objects;

/** Where a subscription starts reading a room. */
public sealed interface Position {

    /** Only messages published after the subscription starts. */
    static Position now() {
        return Now.INSTANCE;
    }

    /** Resume: every message after {@code offset} of {@code epoch}, then live ones. */
    static Position after(String epoch, long offset) {
        return new After(epoch, offset);
    }

    /** The last {@code count} messages still kept, then live ones. */
    static Position last(int count) {
        return new Last(count);
    }

    /** Only messages published after the subscription starts. */
    enum Now implements Position {
        INSTANCE
    }

    /**
     * Resume after a message the subscriber has seen.
     *
     * @param epoch the room's epoch at that message
     * @param offset that message's offset; 0 means "before the first message of the epoch"
     */
    record After(String epoch, long offset) implements Position {
        public After {
            Objects.requireNonNull(epoch, "epoch");
            if (offset < 0) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "resume offset must be 0 or more: " + offset);
            }
        }
    }

    /** The last {@code count} messages, {@code count} from 0 to 10,000. */
    record Last(int count) implements Position {
        public static final int MAX = 10_000;

        public Last {
            if (count < 0 || count > MAX) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "history count must be between 0 and " + MAX + ": " + count);
            }
        }
    }
}
