package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One check of a node, for diagnosing a connection: opens the WebSocket (presenting a password
 * or token when given one), says an anonymous {@code hello}, waits for the {@code welcome},
 * times a few {@code ping}s, and closes. Unlike {@link NodeClient} it never retries, and
 * when something fails it says which step and why ({@link Problem}), so that a person can be
 * told what to fix.
 */
public final class NodeProbe {
    private static final NodeConnection.Inbound IGNORE = new NodeConnection.Inbound() {
        @Override
        public void onPush(Frame frame) {
        }

        @Override
        public void onLost(NodeConnection connection, ConnectionLostException cause) {
        }
    };

    private NodeProbe() {
    }

    /** What the node said and how fast. */
    public record Welcomed(String node, int version, Duration hello, Duration roundTrip,
            int pings) {
    }

    /** Why a check failed. */
    public enum Problem {
        /** Nothing accepted the connection. */
        REFUSED,
        /** An HTTP server answered, but refused the WebSocket upgrade: not a Cartero node. */
        UPGRADE_REFUSED,
        /** The connection opened, but nothing answered within the time. */
        NO_ANSWER,
        /** The connection was closed or reset without an answer. */
        CLOSED,
        /** The TLS handshake failed ({@code wss://}). */
        TLS_FAILED,
        /** A WebSocket opened, but nothing answered {@code hello} with a {@code welcome}. */
        NO_WELCOME,
        /** The node answered {@code hello} with an error. */
        HELLO_REFUSED,
        /**
         * The node wants a password or token and the one presented (if any) was refused, or
         * too many wrong ones came from this address: {@code errorCode} says which.
         */
        ACCESS_REFUSED,
        /** Anything else. */
        FAILED
    }

    /** A check that failed, with what failed. */
    public static final class ProbeException extends BrokerException {
        private static final long serialVersionUID = 1L;

        private final Problem problem;
        private final int httpStatus;
        private final String errorCode;

        ProbeException(Problem problem, int httpStatus, String errorCode, String message,
                Throwable cause) {
            super(message, cause);
            this.problem = problem;
            this.httpStatus = httpStatus;
            this.errorCode = errorCode;
        }

        public Problem problem() {
            return problem;
        }

        /** The HTTP status of a refused upgrade; 0 otherwise. */
        public int httpStatus() {
            return httpStatus;
        }

        /**
         * The error code of a refused hello (such as {@code unsupported_version}) or of a
         * refused password or token ({@code unauthorized}, {@code too_many_attempts}); or null.
         */
        public String errorCode() {
            return errorCode;
        }
    }

    /**
     * Checks the node at {@code server} ({@code ws://host:port} or {@code wss://...}, with or
     * without the path {@code /ws}).
     *
     * @param timeout how long opening, the welcome and each ping may take
     * @param pings how many pings to time, at least one
     * @throws ProbeException saying what failed
     */
    public static Welcomed check(URI server, Duration timeout, int pings) {
        return check(server, null, ServerTrust.system(), timeout, pings);
    }

    /**
     * As {@link #check(URI, Duration, int)}, presenting {@code token} (a password or access
     * token, or {@code null}) on the upgrade, as {@link NodeClient} does, and checking the
     * certificate of a {@code wss://} node with {@code trust}.
     *
     * @throws ProbeException saying what failed; {@link Problem#ACCESS_REFUSED} when the node
     *     refused the token or wanted one
     */
    public static Welcomed check(URI server, String token, ServerTrust trust, Duration timeout,
            int pings) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(trust, "trust");
        if (pings < 1) {
            throw new IllegalArgumentException("pings must be at least 1: " + pings);
        }
        URI url = NodeClient.webSocketUrl(server);
        ClientThreads threads = new ClientThreads();
        try {
            long start = System.nanoTime();
            NodeConnection connection = open(url, token, trust, timeout, threads);
            try {
                Frame.Welcome welcome = hello(connection, timeout);
                Duration hello = Duration.ofNanos(System.nanoTime() - start);
                Duration roundTrip = median(ping(connection, timeout, pings));
                return new Welcomed(welcome.node(), welcome.version(), hello, roundTrip, pings);
            } finally {
                connection.close(new BrokerException("check finished"));
            }
        } finally {
            threads.shutdown();
        }
    }

    private static NodeConnection open(URI url, String token, ServerTrust trust,
            Duration timeout, ClientThreads threads) {
        try {
            return NodeConnection.open(url, token, trust, timeout, IGNORE, threads);
        } catch (BrokerException e) {
            throw classify(e);
        }
    }

    private static Frame.Welcome hello(NodeConnection connection, Duration timeout) {
        CompletableFuture<Frame.Welcome> welcome = connection.exchange(
                id -> new Frame.Hello(id, null, Frame.VERSION), Frame.Welcome.class, timeout,
                reply -> reply);
        try {
            return await(welcome, timeout);
        } catch (ValidationException e) {
            throw new ProbeException(Problem.HELLO_REFUSED, 0, e.code().wireName(),
                    connection.url() + " refused hello: " + e.getMessage(), e);
        } catch (BrokerException e) {
            ValidationException refusal = connection.refusal();
            if (refusal != null) {
                throw new ProbeException(Problem.ACCESS_REFUSED, 0, refusal.code().wireName(),
                        connection.url() + " refused the connection: " + refusal.getMessage(),
                        refusal);
            }
            throw new ProbeException(Problem.NO_WELCOME, 0, null, connection.url()
                    + " did not answer hello with a welcome: " + e.getMessage(), e);
        }
    }

    private static List<Duration> ping(NodeConnection connection, Duration timeout, int pings) {
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < pings; i++) {
            long sent = System.nanoTime();
            try {
                await(connection.exchange(Frame.Ping::new, Frame.Pong.class, timeout,
                        pong -> pong), timeout);
            } catch (BrokerException e) {
                throw new ProbeException(Problem.NO_ANSWER, 0, null, connection.url()
                        + " stopped answering pings: " + e.getMessage(), e);
            }
            times.add(Duration.ofNanos(System.nanoTime() - sent));
        }
        return times;
    }

    private static <T> T await(CompletableFuture<T> reply, Duration timeout) {
        try {
            return reply.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = NodeConnection.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BrokerException(cause.toString(), cause);
        } catch (TimeoutException e) {
            throw new ReplyTimeoutException("no reply within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while checking a node", e);
        }
    }

    private static Duration median(List<Duration> times) {
        List<Duration> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** What the failure to open {@code error} says, from the causes the JDK gives. */
    private static ProbeException classify(BrokerException error) {
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketHandshakeException refused) {
                return new ProbeException(Problem.UPGRADE_REFUSED,
                        refused.getResponse().statusCode(), null, error.getMessage(), error);
            }
            if (cause instanceof SSLException) {
                return probe(Problem.TLS_FAILED, error);
            }
            if (cause instanceof HttpTimeoutException) {
                return probe(Problem.NO_ANSWER, error);
            }
            if (cause instanceof ConnectException) {
                return probe(Problem.REFUSED, error);
            }
            if (cause instanceof IOException) {
                return probe(Problem.CLOSED, error);
            }
        }
        return probe(Problem.FAILED, error);
    }

    private static ProbeException probe(Problem problem, BrokerException error) {
        return new ProbeException(problem, 0, null, error.getMessage(), error);
    }
}
