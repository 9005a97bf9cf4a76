package io.cartero.node;

import java.util.Objects;
import java.util.Set;

/**
 * Who may use a node and how much: the limits on each connection and each address, the
 * browser origins accepted, and the secret a client must present. The defaults are those
 * {@code docs/protocol.md} and {@code docs/security.md} document.
 *
 * @param maxTextCodePoints the longest message text accepted, in code points (at most the
 *     protocol's 4,000)
 * @param maxRoomsPerConnection rooms one connection may have joined at once
 * @param maxConnectionsPerAddress open connections from one IP address
 * @param requestsPerSecond the rate at which a connection's request allowance refills
 * @param requestBurst the most requests a connection may send at once after a quiet spell
 * @param maxRateRefusals requests refused for the rate within the error window before the
 *     connection is closed with 4005
 * @param allowedOrigins browser origins accepted besides the node's own, compared exactly
 * @param secret the password or token a client must present, or {@code null} for none
 */
public record Guards(int maxTextCodePoints, int maxRoomsPerConnection,
        int maxConnectionsPerAddress, int requestsPerSecond, int requestBurst,
        int maxRateRefusals, Set<String> allowedOrigins, String secret) {

    /** The longest text the protocol allows. */
    public static final int PROTOCOL_MAX_TEXT = 4_000;

    public Guards {
        if (maxTextCodePoints < 1 || maxTextCodePoints > PROTOCOL_MAX_TEXT) {
            throw new IllegalArgumentException(
                    "maxTextCodePoints must be 1-" + PROTOCOL_MAX_TEXT + ": " + maxTextCodePoints);
        }
        requirePositive("maxRoomsPerConnection", maxRoomsPerConnection);
        requirePositive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        requirePositive("requestsPerSecond", requestsPerSecond);
        requirePositive("requestBurst", requestBurst);
        requirePositive("maxRateRefusals", maxRateRefusals);
        allowedOrigins = Set.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
        if (secret != null && secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
    }

    /**
     * Texts up to 4,000 code points, 100 rooms per connection, 100 connections per address,
     * 500 requests a second with bursts of 1,000, closed after 100 refused for the rate in
     * the error window; no other origin; no secret.
     */
    public static Guards defaults() {
        return new Guards(PROTOCOL_MAX_TEXT, 100, 100, 500, 1_000, 100, Set.of(), null);
    }

    /** These guards with other limits on rooms, connections and rate. */
    public Guards withLimits(int text, int rooms, int connections, int perSecond, int burst) {
        return new Guards(text, rooms, connections, perSecond, burst, maxRateRefusals,
                allowedOrigins, secret);
    }

    /** These guards closing a connection after {@code refusals} refused for the rate. */
    public Guards withMaxRateRefusals(int refusals) {
        return new Guards(maxTextCodePoints, maxRoomsPerConnection, maxConnectionsPerAddress,
                requestsPerSecond, requestBurst, refusals, allowedOrigins, secret);
    }

    /** These guards accepting browser pages from {@code origins} too. */
    public Guards withAllowedOrigins(Set<String> origins) {
        return new Guards(maxTextCodePoints, maxRoomsPerConnection, maxConnectionsPerAddress,
                requestsPerSecond, requestBurst, maxRateRefusals, origins, secret);
    }

    /** These guards requiring {@code newSecret} ({@code null}: none). */
    public Guards withSecret(String newSecret) {
        return new Guards(maxTextCodePoints, maxRoomsPerConnection, maxConnectionsPerAddress,
                requestsPerSecond, requestBurst, maxRateRefusals, allowedOrigins, newSecret);
    }

    /** The guards without the secret, which must never reach a log. */
    @Override
    public String toString() {
        return "Guards[maxTextCodePoints=" + maxTextCodePoints + ", maxRoomsPerConnection="
                + maxRoomsPerConnection + ", maxConnectionsPerAddress="
                + maxConnectionsPerAddress + ", requestsPerSecond=" + requestsPerSecond
                + ", requestBurst=" + requestBurst + ", maxRateRefusals=" + maxRateRefusals
                + ", allowedOrigins=" + allowedOrigins + ", secret="
                + (secret == null ? "none" : "set") + "]";
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
