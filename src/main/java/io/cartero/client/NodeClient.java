package io.cartero.client;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.Queues;
import io.cartero.broker.Rooms;
import io.cartero.broker.Signals;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * <p><b>Reconnecting.</b> When the connection is lost (the node closed it with a code that
 * allows coming back, the network failed, or 30 s passed without a frame from the node
 * while the client pings every 10 s), the client reconnects by itself, with exponential
 * backoff and full jitter (250 ms doubling up to 10 s), to the next of the addresses it was
 * given. It says hello with the same session token, made once per client, so the node gives
 * it its name back; then it joins every room it had joined again, after the last message it
 * delivered, so that listeners miss nothing and get nothing twice. When the node cannot
 * resume a room (its history is gone), the listener's {@code onHistoryLost} says so before
 * the messages that follow. Listeners of {@link #onStateChange} hear each step. Close codes
 * 4002, 4003 and 4004 end the client for good, as does a node that refuses the session or,
 * if {@link ClientOptions#giveUpAfter} is set, the end of that time.
 *
 * <p><b>Failures.</b> A refusal by the node fails the future with a
 * {@link ValidationException} carrying the node's code; a node or broker failure or a timeout
 * with a {@link BrokerException}. Publishes carry an idempotency key (one is made for a
 * {@link io.cartero.broker.Publish} without one): one made while the connection is down waits
 * for it to come back, and one whose reply was cut off by a lost connection is sent again
 * after reconnecting; the node stores it once. Every other request fails at once with a
 * {@link BrokerException} saying the connection was lost, including a {@code pop} or
 * {@code take} that was waiting: those are never sent again, since they may have taken a
 * message. Once the client gives up, every request and waiting publish fails, every
 * listener gets {@link io.cartero.broker.RoomListener#onEnd}, and the {@link #onDisconnect}
 * handlers run. {@link #close()} ends everything too, but does not count as a disconnect.
 *
 * <p>Thread-safe.
 */
public final class NodeClient implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(NodeClient.class);

    private final NodeLink link;
    private final ClientThreads threads;
    private final RoomSubscriptions subscriptions;
    private final String name;
    private final NodeRooms rooms;
    private final NodePresence presence;
    private final NodeQueues queues;
    private final NodeSignals signals;

    private NodeClient(NodeLink link, ClientThreads threads, RoomSubscriptions subscriptions,
            int maxWaiting) {
        this.link = link;
        this.threads = threads;
        this.subscriptions = subscriptions;
        this.name = link.welcome().name();
        this.rooms = new NodeRooms(link, subscriptions, name, maxWaiting);
        this.presence = new NodePresence(rooms, subscriptions, link, name);
        this.queues = new NodeQueues(link, name);
        this.signals = new NodeSignals(link, subscriptions, name);
        link.resumeWith(rooms::resume);
        link.gaveUp().thenAccept(subscriptions::endAll);
    }

    /**
     * Connects to a node, says hello and waits for its welcome; reconnects to the same
     * address with the {@link ClientOptions#defaults() default options}.
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
        Objects.requireNonNull(timeout, "timeout");
        return connect(List.of(server), name,
                ClientOptions.defaults().withConnectTimeout(timeout));
    }

    /**
     * Connects to the first of {@code servers} that answers, says hello and waits for its
     * welcome. When the connection is lost, it reconnects to the next of them in turn.
     *
     * @param servers the addresses of nodes that serve the same broker, in order of
     *     preference; as in {@link #connect(URI, String, Duration)}
     * @param name the user name to take, or {@code null} for an anonymous client
     * @param options timeouts, heartbeat and backoff
     * @throws BrokerException naming the last URL tried if no node can be reached
     * @throws ValidationException as {@link #connect(URI, String, Duration)}
     */
    public static NodeClient connect(List<URI> servers, String name, ClientOptions options) {
        return connect(servers, name, options, RoomSubscription.MAX_WAITING);
    }

    /** As {@link #connect(List, String, ClientOptions)}, with listeners dropped earlier. */
    static NodeClient connect(List<URI> servers, String name, ClientOptions options,
            int maxWaiting) {
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(options, "options");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers must name at least one node");
        }
        if (name != null) {
            Names.requireUser(name);
        }
        List<URI> urls = servers.stream().map(NodeClient::webSocketUrl).toList();

        RoomSubscriptions subscriptions = new RoomSubscriptions();
        ClientThreads threads = new ClientThreads();
        try {
            NodeLink link = NodeLink.open(urls, name, UUID.randomUUID().toString(), options,
                    threads, subscriptions);
            return new NodeClient(link, threads, subscriptions, maxWaiting);
        } catch (RuntimeException e) {
            threads.shutdown();
            throw e;
        }
    }

    /** The name the node accepted, or {@code null} for an anonymous client. */
    public String name() {
        return name;
    }

    /** The id of the node connected to now (or last), from its welcome. */
    public String nodeId() {
        return link.welcome().node();
    }

    /**
     * The WebSocket URL of the node connected to now (or last), such as
     * {@code ws://host:8080/ws}.
     */
    public URI server() {
        return link.connection().url();
    }

    /** What the node accepts: frame size, text length, history page size. */
    public Frame.Limits limits() {
        Frame.Limits limits = link.welcome().limits();
        return limits == null ? NodeConnection.DEFAULT_LIMITS : limits;
    }

    /**
     * Adds a listener of the connection's state: it hears {@link ConnectionState.Phase#CONNECTED}
     * at once, then every change (reconnecting with the attempt and its delay, back, gave up).
     * Calls come one at a time, in order, on a client thread; they must not block for long.
     */
    public void onStateChange(Consumer<? super ConnectionState> listener) {
        Objects.requireNonNull(listener, "listener");
        link.onStateChange(state -> {
            try {
                listener.accept(state);
            } catch (RuntimeException e) {
                LOG.warn("state listener failed state={} error={}", state.phase(), e.toString(),
                        e);
            }
        });
    }

    /**
     * Runs {@code handler} once, on a client thread, if the client gives up its connection
     * for good (see "Reconnecting" above); at once if it already did. Never runs after
     * {@link #close()}.
     *
     * @param handler receives an exception that says why, naming the URL and, when the node
     *     closed the connection, the close code
     */
    public void onDisconnect(Consumer<? super BrokerException> handler) {
        Objects.requireNonNull(handler, "handler");
        link.gaveUp().thenAcceptAsync(cause -> {
            try {
                handler.accept(cause);
            } catch (RuntimeException e) {
                LOG.warn("disconnect handler failed url={} error={}", server(), e.toString(), e);
            }
        }, link.callbacks());
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
    public Signals signals() {
        return signals;
    }

    @Override
    public CompletableFuture<Void> check() {
        return link.connection().call(Frame.Ping::new, Frame.Pong.class, pong -> null);
    }

    @Override
    public String describe() {
        return link.connection().url().toString();
    }

    /**
     * Closes the connection with a normal close (1000): waiting requests fail and the listeners
     * of subscriptions still open get {@code onEnd}, as for any broker that stops (subscriptions
     * closed before get nothing). Reconnecting stops; publishes waiting for the connection
     * fail. {@link #onDisconnect} handlers do not run. Waits up to 2 s for the node to answer
     * the close. Idempotent.
     */
    @Override
    public void close() {
        link.close();
        subscriptions.endAll(new BrokerException("the client of " + describe() + " is closed"));
        threads.shutdown();
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
}
