package io.cartero.broker;

import io.cartero.message.Message;

/**
 * Receives one subscription's messages. Calls for one subscription never overlap and come in
 * offset order; a listener that takes its time delays only its own subscription. A listener
 * that throws does not end its subscription: the broker logs the failure and goes on with the
 * next message.
 */
public interface RoomListener {

    /** The next message of the room, exactly once and in offset order. */
    void onMessage(Message message);

    /**
     * The next message, as {@link #onMessage(Message)}, with a hint for listeners that write
     * to a network: {@code more} is true when the broker hands over another message of this
     * subscription right after this one, so the two may go out in one write. The last message
     * of such a run always comes with {@code more} false. By default, {@link
     * #onMessage(Message)}.
     */
    default void onMessage(Message message, boolean more) {
        onMessage(message);
    }

    /**
     * A run announced with {@code more} ends early after all: the message it promised will not
     * follow at once (a node cut off its broker holds it). A listener that holds writes back
     * for the run writes them now. Brokers end their runs with {@code more} false and never
     * call this. By default, nothing.
     */
    default void onRunEnd() {
    }

    /**
     * The subscriber fell so far behind that messages it had not yet received were dropped by
     * retention. Delivery goes on with the message at {@code nextOffset}.
     */
    default void onHistoryLost(String room, String epoch, long nextOffset) {
    }

    /**
     * The subscription ended without being closed by its owner: the broker shut down or the
     * connection to it was lost. No call follows.
     */
    default void onEnd(Throwable cause) {
    }
}
