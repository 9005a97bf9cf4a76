package io.cartero.broker;

import java.util.Objects;

/**
 * What a subscription found when it started.
 *
 * @param status whether the subscriber's position could be honoured
 * @param epoch the room's epoch now
 * @param lastOffset the offset of the newest message in the room when the subscription
 *     started (0 if the room is empty); delivery ends the backlog at this offset
 */
public record Resume(Status status, String epoch, long lastOffset) {

    public Resume {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(epoch, "epoch");
    }

    /** How a subscription's starting position was honoured. */
    public enum Status {
        /** No resume was asked for (from now, or the last N). */
        FRESH,
        /** Every message after the resume position is delivered: nothing was missed. */
        COMPLETE,
        /**
         * Some messages after the resume position are gone: the epoch changed or retention
         * dropped them. Delivery starts at the oldest message still kept.
         */
        LOST
    }
}
