package io.cartero.client;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.Queues;
import io.cartero.broker.Rooms;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} that is a Cartero node, reached over one WebSocket and the protocol of
 * {@code docs/protocol.md}. Every terminal command talks to a node through it.
 *
 * <p><b>Who sends.</b> The node stamps every message with the session's name. So this client
 * publishes and pushes only as {@link #name()}: another sender fails with
 * {@link ErrorCode#INVALID_NAME}, and an anonymous client (connected without a name) fails
 * with {@link ErrorCode#NAME_REQUIRED} before anything is sent. It publishes chat messages
 * only; the node itself publishes join and leave messages.
 *
 * <p><b>Rooms.</b> A connection joins a room at most once, so this client holds at most one
 * subscription per room: a second one fails with {@link ErrorCode#ALREADY_JOINED} until the
 * first is closed.
 *
 * <p><b>Presence.</b> On a node, a named session is a member of exactly the rooms it has
 * joined. {@code presence().join(room, name())} therefore subscribes to the room, with a
 * listener that ignores its messages, unless this client already subscribes to it (then it
 * completes {@code false}); {@code presence().leave(room, name())} ends this client's
 * subscription to the room, whoever made it, without a call to its listener. Other users
 * cannot be joined or left from here.
 *
 * <p><b>Queues.</b> A node waits at most 30 s in one pop; longer timeouts are served by
 * successive pops. A pop the client gives up on (its future cancelled, or no reply within its
 * wait plus 10 s) may still take a message on the node, which is then lost and logged: the
 * protocol has no way to call a pop back.
 *
 * <p><b>Threads.</b> Frames are read on the JDK's WebSocket thread, which never runs callers'
 * code. Replies complete their futures on a pool of daemon threads that grows with the
 * callbacks running at once, so a callback may wait for another request without deadlock.
 * Each subscription delivers to its listener in a lane of its own: one call at a time, in
 * offset order, the subscription's future first. A slow listener delays only its own room,
 * never replies nor other rooms; one more than 10,000 messages behind loses its subscription
 * (its {@code onEnd} says so) instead of making memory grow, and can resume from
 * {@link #lastSeen}. Requests wait 10 s for their reply, then fail with a
 * {@link BrokerException}.
 *
 * <p><b>Failures.</b> A refusal by the node fails the future with a
 * {@link ValidationException} carrying the node's code; a node or broker failure, a timeout or
 * a lost connection with a {@link BrokerException}. When the connection is lost, every waiting
 * request fails, every subscription's listener gets {@link
 * io.cartero.broker.RoomListener#onEnd}, the {@link #onDisconnect} handlers run, and later
 * calls fail. This client does not reconnect; {@link #lastSeen} keeps, per room, where a new
 * connection would resume. {@link #close()} ends everything too, but does not count as a
 * disconnect.
 *
 * <p>Thread-safe.
 */
public final class NodeClient implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(NodeClient.class);

    private final NodeConnection connection;
    private final RoomSubscriptions subscriptions;
    private final Frame.Welcome welcome;
    private final Frame.Limits limits;
    private final NodeRooms rooms;
    private final NodePresence presence;
    private final NodeQueues queues;

    private NodeClient(NodeConnection connection, RoomSubscriptions subscriptions,
            Frame.Welcome welcome, int maxWaiting) {
        this.connection = connection;
        this.subscriptions = subscriptions;
        this.welcome = welcome;
        this.limits = welcome.limits() == null ? NodeConnection.DEFAULT_LIMITS : welcome.limits();
        this.rooms = new NodeRooms(connection, subscriptions, welcome.name(), maxWaiting);
        this.presence = new NodePresence(rooms, subscriptions, connection, welcome.name());
        this.queues = new NodeQueues(connection, welcome.name());
        connection.welcomed(limits);
    }

    /**
     * Connects to a node, says hello and waits for its welcome.
     *
     * @param server the node's address, {@code ws://host:port} or {@code wss://host:port},
     *     with or without the {@code /ws} path
     * @param name the user name to take on the node, or {@code null} for an anonymous client
     *     that may read but not publish or push
     * @param timeout how long to wait for the connection, and then for the welcome
     * @return the connected client
     * @throws BrokerException naming the URL if the node cannot be reached, refuses the
     *     WebSocket, does not answer in time or fails
     * @throws ValidationException if the node refuses the hello: {@link ErrorCode#NAME_TAKEN},
     *     {@link ErrorCode#INVALID_NAME} or {@link ErrorCode#UNSUPPORTED_VERSION}; also for a
     *     URL that is not {@code ws://} or {@code wss://}, or an invalid name
     */
    public static NodeClient connect(URI server, String name, Duration timeout) {
        return connect(server, name, timeout, RoomSubscription.MAX_WAITING);
    }

    /** As {@link #connect(URI, String, Duration)}, with listeners dropped further behind. */
    static NodeClient connect(URI server, String name, Duration timeout, int maxWaiting) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (name != null) {
            Names.requireUser(name);
        }
        URI url = webSocketUrl(server);

        RoomSubscriptions subscriptions = new RoomSubscriptions();
        NodeConnection connection = NodeConnection.open(url, timeout, subscriptions);
        try {
            Frame.Welcome welcome = await(connection.exchange(
                    id -> new Frame.Hello(id, name, Frame.VERSION), Frame.Welcome.class,
                    timeout, reply -> reply), url);
            LOG.info("connected url={} node={} name={}", url, welcome.node(), welcome.name());
            return new NodeClient(connection, subscriptions, welcome, maxWaiting);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The name the node accepted, or {@code null} for an anonymous client. */
    public String name() {
        return welcome.name();
    }

    /** The node's id, from its welcome. */
    public String nodeId() {
        return welcome.node();
    }

    /** The WebSocket URL this client is connected to, such as {@code ws://host:8080/ws}. */
    public URI server() {
        return connection.url();
    }

    /** What the node accepts: frame size, text length, history page size. */
    public Frame.Limits limits() {
        return limits;
    }

    /**
     * Runs {@code handler} once, on a client thread, if the connection to the node is lost
     * (the node closed it, or the network failed); at once if it already was. Never runs
     * after {@link #close()}.
     *
     * @param handler receives an exception that says why, naming the URL and the close code
     */
    public void onDisconnect(Consumer<? super BrokerException> handler) {
        Objects.requireNonNull(handler, "handler");
        connection.lost().thenAcceptAsync(cause -> {
            try {
                handler.accept(cause);
            } catch (RuntimeException e) {
                LOG.warn("disconnect handler failed url={} error={}", server(), e.toString(), e);
            }
        }, connection.callbacks());
    }

    /**
     * Where a subscription to {@code room} would resume: the epoch and offset of the last
     * message this client queued for the room's listener (or of the position it started from,
     * if none came). Kept after the subscription or the connection ends.
     */
    public Optional<Position.After> lastSeen(String room) {
        Objects.requireNonNull(room, "room");
        return subscriptions.lastSeen(room);
    }

    @Override
    public Rooms rooms() {
        return rooms;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public Queues queues() {
        return queues;
    }

    @Override
    public CompletableFuture<Void> check() {
        return CompletableFuture.failedFuture(new BrokerException("check: not built yet"));
    }

    @Override
    public String describe() {
        return connection.url().toString();
    }

    /**
     * Closes the connection with a normal close (1000): waiting requests fail and the listeners
     * of subscriptions still open get {@code onEnd}, as for any broker that stops (subscriptions
     * closed before get nothing). {@link #onDisconnect} handlers do not run. Waits up to 2 s for
     * the node to answer the close. Idempotent.
     */
    @Override
    public void close() {
        connection.close();
    }

    /**
     * The WebSocket URL of a node: {@code server} with the path {@code /ws} added unless it
     * already ends so.
     */
    static URI webSocketUrl(URI server) {
        String scheme = server.getScheme() == null ? ""
                : server.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "a node's URL starts with ws:// or wss://: " + server);
        }
        if (server.getHost() == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "a node's URL needs a host: " + server);
        }
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        path = path.endsWith("/ws") ? path : path + "/ws";
        return URI.create(scheme + "://" + server.getRawAuthority() + path);
    }

    private static <T> T await(CompletableFuture<T> reply, URI url) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            Throwable cause = NodeConnection.unwrap(e);
            throw cause instanceof RuntimeException failure ? failure
                    : new BrokerException("cannot talk to " + url, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while waiting for " + url, e);
        }
    }
}
