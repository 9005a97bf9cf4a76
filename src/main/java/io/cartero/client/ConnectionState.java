package io.cartero.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link NodeClient}'s connection stands, as told to
 * {@link NodeClient#onStateChange} listeners.
 *
 * @param phase what happened
 * @param attempt for {@link Phase#RECONNECTING}, the number of the attempt about to be made
 *     (1 for the first); 0 otherwise
 * @param delay for {@link Phase#RECONNECTING}, how long until that attempt; zero otherwise
 * @param reason why the connection was lost or given up, for people and logs; empty for
 *     {@link Phase#CONNECTED} and {@link Phase#BACK}
 */
public record ConnectionState(Phase phase, int attempt, Duration delay, String reason) {

    public ConnectionState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(reason, "reason");
    }

    /** The phases of a client's connection. */
    public enum Phase {
        /** Connected to a node; the first state of every client. */
        CONNECTED,
        /** The connection was lost; the client will try again after {@code delay}. */
        RECONNECTING,
        /** Connected again, rooms re-joined, messages waiting to be published sent again. */
        BACK,
        /** The client stopped trying: the node refused it or the time allowed ran out. */
        GAVE_UP
    }

    static ConnectionState connected() {
        return new ConnectionState(Phase.CONNECTED, 0, Duration.ZERO, "");
    }

    static ConnectionState reconnecting(int attempt, Duration delay, String reason) {
        return new ConnectionState(Phase.RECONNECTING, attempt, delay, reason);
    }

    static ConnectionState back() {
        return new ConnectionState(Phase.BACK, 0, Duration.ZERO, "");
    }

    static ConnectionState gaveUp(String reason) {
        return new ConnectionState(Phase.GAVE_UP, 0, Duration.ZERO, reason);
    }
}
