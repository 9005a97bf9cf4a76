package io.cartero.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link NodeClient} connects, watches its connection and reconnects. Start from
 * {@link #defaults()} and change what you need with the {@code with} methods.
 *
 * @param connectTimeout how long one attempt may take to open the WebSocket, and then to get
 *     the node's welcome
 * @param pingInterval how often the client sends a {@code ping} frame
 * @param silenceTimeout how long without any frame from the node before the client takes the
 *     connection for dead and reconnects
 * @param firstDelay the longest wait before the first reconnect attempt; it doubles with every
 *     attempt (each wait is random below it: full jitter)
 * @param maxDelay the cap of the doubling
 * @param giveUpAfter how long the client keeps trying to reconnect before it gives up, or
 *     {@code null} to try for as long as it is open
 * @param token the node's password or access token, or {@code null} when it asks for none;
 *     never shown by {@link #toString}
 * @param trust which certificates a {@code wss://} node may show
 */
public record ClientOptions(Duration connectTimeout, Duration pingInterval,
        Duration silenceTimeout, Duration firstDelay, Duration maxDelay, Duration giveUpAfter,
        String token, ServerTrust trust) {

    public ClientOptions {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(pingInterval, "pingInterval");
        requirePositive(silenceTimeout, "silenceTimeout");
        requirePositive(firstDelay, "firstDelay");
        requirePositive(maxDelay, "maxDelay");
        if (giveUpAfter != null) {
            requirePositive(giveUpAfter, "giveUpAfter");
        }
        Objects.requireNonNull(trust, "trust");
    }

    /**
     * Connect within 5 s, ping every 10 s, take 30 s of silence for a dead connection,
     * reconnect after 250 ms doubling up to 10 s, never give up; trust the certificates the
     * JDK's trust store vouches for.
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofMillis(250), Duration.ofSeconds(10), null,
                null, ServerTrust.system());
    }

    /** These options with another connect timeout. */
    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(timeout, pingInterval, silenceTimeout, firstDelay, maxDelay,
                giveUpAfter, token, trust);
    }

    /** These options with another ping interval and silence timeout. */
    public ClientOptions withHeartbeat(Duration interval, Duration silence) {
        return new ClientOptions(connectTimeout, interval, silence, firstDelay, maxDelay,
                giveUpAfter, token, trust);
    }

    /** These options with another reconnect backoff. */
    public ClientOptions withBackoff(Duration first, Duration max) {
        return new ClientOptions(connectTimeout, pingInterval, silenceTimeout, first, max,
                giveUpAfter, token, trust);
    }

    /** These options giving up reconnecting after {@code limit} ({@code null}: never). */
    public ClientOptions withGiveUpAfter(Duration limit) {
        return new ClientOptions(connectTimeout, pingInterval, silenceTimeout, firstDelay,
                maxDelay, limit, token, trust);
    }

    /** These options presenting {@code secret} to the node ({@code null}: nothing). */
    public ClientOptions withToken(String secret) {
        return new ClientOptions(connectTimeout, pingInterval, silenceTimeout, firstDelay,
                maxDelay, giveUpAfter, secret == null || secret.isEmpty() ? null : secret, trust);
    }

    /** These options checking {@code wss://} nodes' certificates with {@code newTrust}. */
    public ClientOptions withTrust(ServerTrust newTrust) {
        return new ClientOptions(connectTimeout, pingInterval, silenceTimeout, firstDelay,
                maxDelay, giveUpAfter, token, newTrust);
    }

    /** The options, with the token hidden. */
    @Override
    public String toString() {
        return "ClientOptions[connectTimeout=" + connectTimeout + ", pingInterval="
                + pingInterval + ", silenceTimeout=" + silenceTimeout + ", firstDelay="
                + firstDelay + ", maxDelay=" + maxDelay + ", giveUpAfter=" + giveUpAfter
                + ", token=" + (token == null ? "none" : "set") + ", insecure="
                + trust.isInsecure() + "]";
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
