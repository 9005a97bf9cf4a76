package io.cartero.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.Broker;
import io.cartero.broker.NameRegistry;
import io.cartero.protocol.FrameCodec;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cartero node: serves the WebSocket protocol of {@code docs/protocol.md} at {@code /ws}
 * and {@code GET /health}, on top of any {@link Broker}. The node never picks a broker: it is
 * given one, and it does not close it. Thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final Broker broker;
    private final NodeSettings settings;
    private final NodeContext context;
    /** Pings connections and runs their clean-ups; one daemon thread. */
    private final ScheduledExecutorService chores;
    /** Open connections by Jetty session id. */
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionCount = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set once by {@link #start}, before any request can arrive. */
    private Javalin app;

    private Node(Broker broker, NameRegistry names, NodeSettings settings) {
        this.id = newId();
        this.broker = broker;
        this.settings = settings;
        this.chores = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cartero-node-" + id);
            thread.setDaemon(true);
            return thread;
        });
        FrameCodec codec = new FrameCodec();
        this.context = new NodeContext(id, broker, names, settings, codec,
                new MessageFrames(codec), chores);
    }

    /**
     * Starts a node listening on {@code settings.host()} and {@code settings.port()}.
     *
     * @throws PortInUseException if another program already listens on that port
     */
    public static Node start(Broker broker, NameRegistry names, NodeSettings settings) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(settings, "settings");
        Node node = new Node(broker, names, settings);
        node.listen();
        return node;
    }

    /** The port the node listens on (the one picked when the settings asked for port 0). */
    public int port() {
        return app.port();
    }

    /** The node's id, such as {@code aula-3f9c}: its host name and four random hex digits. */
    public String id() {
        return id;
    }

    /**
     * Stops the node: refuses new connections, closes open ones with 1001 (waiting up to two
     * seconds for them to close), then stops the web server. Idempotent. The broker stays open.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        connections.values().forEach(c -> c.close(Outbox.GOING_AWAY, "node shutting down"));
        awaitConnectionsClosed();
        app.stop();
        chores.shutdown();
        awaitChores();
        LOG.info("node stopped node={}", id);
    }

    private void listen() {
        app = Javalin.create(this::configure);
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            stopQuietly();
            if (isPortInUse(e)) {
                throw new PortInUseException(settings.port(), e);
            }
            throw e;
        }
        chores.scheduleAtFixedRate(this::pingAll, settings.pingInterval().toMillis(),
                settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("node started node={} host={} port={} broker={}", id, settings.host(),
                app.port(), broker.describe());
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.modifyWebSocketServletFactory(this::configureWebSockets);
        config.routes.get("/health", this::health);
        config.routes.ws("/ws", this::configureEndpoint);
    }

    private void configureWebSockets(JettyWebSocketServletFactory factory) {
        factory.setMaxTextMessageSize(settings.maxMessageBytes());
        factory.setMaxBinaryMessageSize(settings.maxMessageBytes());
        factory.setMaxFrameSize(settings.maxMessageBytes());
        factory.setIdleTimeout(settings.idleTimeout());
    }

    private void configureEndpoint(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> connection(ctx).onText(ctx.message()));
        ws.onBinaryMessage(ctx -> connection(ctx).onBinary());
        ws.onClose(ctx -> {
            LOG.debug("connection closed conn={} code={} reason={}",
                    connectionId(ctx), ctx.status(), ctx.reason());
            disconnected(ctx);
        });
        ws.onError(ctx -> {
            LOG.debug("connection failed conn={} error={}", connectionId(ctx),
                    String.valueOf(ctx.error()));
            disconnected(ctx);
        });
    }

    private void connected(WsContext ctx) {
        String connId = "c" + connectionCount.incrementAndGet();
        Connection connection = new Connection(connId, ctx.session, context);
        connections.put(ctx.sessionId(), connection);
        LOG.debug("connection opened conn={} remote={}", connId,
                ctx.session.getRemoteSocketAddress());
        if (closing.get()) {
            connection.close(Outbox.GOING_AWAY, "node shutting down");
        }
    }

    private Connection connection(WsContext ctx) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection == null) {
            throw new IllegalStateException("no connection for session " + ctx.sessionId());
        }
        return connection;
    }

    private void disconnected(WsContext ctx) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection != null) {
            connection.closed();
            connections.remove(ctx.sessionId());
        }
    }

    private String connectionId(WsContext ctx) {
        Connection connection = connections.get(ctx.sessionId());
        return connection == null ? "?" : connection.id();
    }

    private void health(Context ctx) {
        Health health = new Health("ok", id, broker.describe(), connections.size());
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsString(health));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pingAll() {
        for (Connection connection : connections.values()) {
            try {
                connection.ping();
            } catch (RuntimeException e) {
                LOG.debug("ping failed conn={} error={}", connection.id(), e.toString());
            }
        }
    }

    private void awaitConnectionsClosed() {
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitChores() {
        try {
            if (!chores.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("clean-ups still running at stop node={}", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopQuietly() {
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.debug("stop after failed start node={} error={}", id, e.toString());
        }
        chores.shutdownNow();
    }

    /**
     * Whether {@code failure} says the port is taken. Other bind failures (an address that is
     * not this machine's) are reported as they are.
     */
    private static boolean isPortInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                String message = t.getMessage();
                return message == null || message.toLowerCase(Locale.ROOT).contains("in use");
            }
        }
        return false;
    }

    private static String newId() {
        String host = hostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        if (host.length() > 32) {
            host = host.substring(0, 32);
        }
        return String.format(Locale.ROOT, "%s-%04x", host,
                ThreadLocalRandom.current().nextInt(0x10000));
    }

    private static String hostName() {
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    /** The body of {@code GET /health}. */
    private record Health(String status, String node, String broker, int connections) {
    }
}
