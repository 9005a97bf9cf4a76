package io.cartero.node;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a node listens and the limits it enforces on every connection. The defaults are the
 * limits {@code docs/protocol.md} documents.
 *
 * @param host the address to listen on; {@code 0.0.0.0} for every interface
 * @param port the TCP port; 0 picks a free one
 * @param maxFrameBytes frames larger than this get {@code frame_too_large} without being decoded
 * @param maxMessageBytes WebSocket messages larger than this close the connection with 1009
 * @param maxPendingBytes outgoing bytes not yet written before the connection closes with 4001
 * @param maxPendingFrames outgoing frames not yet written before it closes with 4001
 * @param maxErrors refused requests allowed within {@code errorWindow} before it closes with 4002
 * @param errorWindow the window in which refused requests are counted
 * @param idleTimeout a connection from which no frame arrives for this long is closed with 1001
 * @param pingInterval how often the node sends a WebSocket ping on every connection, so that
 *     clients can tell a live node from a dead one
 * @param helloTimeout a connection that has not completed hello this long after it opened is
 *     closed with 4003
 * @param guards who may connect and how much each connection and address may do
 * @param tls the certificate and key to serve https and wss with, or {@code null} to serve
 *     plain http and ws
 */
public record NodeSettings(
        String host, int port, int maxFrameBytes, int maxMessageBytes, long maxPendingBytes,
        int maxPendingFrames, int maxErrors, Duration errorWindow, Duration idleTimeout,
        Duration pingInterval, Duration helloTimeout, Guards guards, TlsIdentity tls) {

    /** The default port. */
    public static final int DEFAULT_PORT = 8080;

    public NodeSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        requirePositive("maxFrameBytes", maxFrameBytes);
        requirePositive("maxMessageBytes", maxMessageBytes);
        requirePositive("maxPendingBytes", maxPendingBytes);
        requirePositive("maxPendingFrames", maxPendingFrames);
        requirePositive("maxErrors", maxErrors);
        requirePositive("errorWindow", errorWindow.toMillis());
        requirePositive("idleTimeout", idleTimeout.toMillis());
        requirePositive("pingInterval", pingInterval.toMillis());
        requirePositive("helloTimeout", helloTimeout.toMillis());
        Objects.requireNonNull(guards, "guards");
    }

    /**
     * Every interface, port 8080 and the documented limits: frames up to 64 KiB, messages up
     * to 1 MiB, 4 MiB or 20,000 frames waiting to be written, 100 refused requests in 10
     * seconds, a ping every 10 seconds, closed after 30 seconds without a frame from the
     * client or 10 seconds without a hello.
     */
    public static NodeSettings defaults() {
        return new NodeSettings("0.0.0.0", DEFAULT_PORT, 64 * 1024, 1024 * 1024,
                4L * 1024 * 1024, 20_000, 100, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Guards.defaults(), null);
    }

    /** These settings listening on {@code newHost}. */
    public NodeSettings withHost(String newHost) {
        return new NodeSettings(newHost, port, maxFrameBytes, maxMessageBytes, maxPendingBytes,
                maxPendingFrames, maxErrors, errorWindow, idleTimeout, pingInterval, helloTimeout,
                guards, tls);
    }

    /** These settings listening on {@code newPort}. */
    public NodeSettings withPort(int newPort) {
        return new NodeSettings(host, newPort, maxFrameBytes, maxMessageBytes, maxPendingBytes,
                maxPendingFrames, maxErrors, errorWindow, idleTimeout, pingInterval, helloTimeout,
                guards, tls);
    }

    /** These settings with another bound on each connection's outgoing buffer. */
    public NodeSettings withOutgoingLimits(long bytes, int frames) {
        return new NodeSettings(host, port, maxFrameBytes, maxMessageBytes, bytes, frames,
                maxErrors, errorWindow, idleTimeout, pingInterval, helloTimeout, guards, tls);
    }

    /**
     * These settings with other heartbeat times (tests shorten them).
     *
     * @param ping how often the node pings
     * @param idle how long a client may stay silent
     * @param hello how long a client may take to say hello
     */
    public NodeSettings withHeartbeats(Duration ping, Duration idle, Duration hello) {
        return new NodeSettings(host, port, maxFrameBytes, maxMessageBytes, maxPendingBytes,
                maxPendingFrames, maxErrors, errorWindow, idle, ping, hello, guards, tls);
    }

    /** These settings with other {@link Guards}. */
    public NodeSettings withGuards(Guards newGuards) {
        return new NodeSettings(host, port, maxFrameBytes, maxMessageBytes, maxPendingBytes,
                maxPendingFrames, maxErrors, errorWindow, idleTimeout, pingInterval, helloTimeout,
                newGuards, tls);
    }

    /**
     * These settings refusing frames larger than {@code bytes} with {@code frame_too_large};
     * WebSocket messages larger than 16 times that, and at least 1 MiB, close the connection.
     */
    public NodeSettings withMaxFrameBytes(int bytes) {
        return new NodeSettings(host, port, bytes, Math.max(1024 * 1024, 16 * bytes),
                maxPendingBytes, maxPendingFrames, maxErrors, errorWindow, idleTimeout,
                pingInterval, helloTimeout, guards, tls);
    }

    /** These settings serving https and wss with {@code identity} ({@code null}: plain). */
    public NodeSettings withTls(TlsIdentity identity) {
        return new NodeSettings(host, port, maxFrameBytes, maxMessageBytes, maxPendingBytes,
                maxPendingFrames, maxErrors, errorWindow, idleTimeout, pingInterval, helloTimeout,
                guards, identity);
    }

    /** Whether the node serves https and wss. */
    public boolean secure() {
        return tls != null;
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
