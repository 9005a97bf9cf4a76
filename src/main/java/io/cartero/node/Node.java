package io.cartero.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.Broker;
import io.cartero.broker.NameRegistry;
import io.cartero.message.ErrorCode;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameCodec;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cartero node: serves the WebSocket protocol of {@code docs/protocol.md} at {@code /ws},
 * the web page at {@code /} (see {@link WebPage}), {@code GET /health} and
 * {@code GET /metrics}, on top of any {@link Broker}. The node never
 * picks a broker: it is given one, and it does not close it. Thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** The version of the protocol of {@code docs/protocol.md} that the node speaks. */
    public static final int PROTOCOL_VERSION = Frame.VERSION;
    /** How long a graceful shutdown waits for requests in flight, unless told otherwise. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    /** The broker behind the operator's gate. */
    private final Broker broker;
    private final BrokerGate gate;
    private final Operator operator;
    private final OperatorControls controls;
    private final NodeSettings settings;
    private final NodeContext context;
    /** Pings connections and runs their clean-ups; one daemon thread. */
    private final ScheduledThreadPoolExecutor chores;
    private final BrokerFailures failures = new BrokerFailures();
    /** Open connections by Jetty session id. */
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    /** Whose turn it is to be pinged; the chores thread's. */
    private final PingRounds pingRounds = new PingRounds();
    private final AtomicLong connectionCount = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final NodeMetrics metrics;
    private final BrokerView view;
    private final Admission admission;
    private final WebPage page = new WebPage();
    private final long startedAt = System.nanoTime();
    /** What the shutdown did; set once, by the thread that ran it. */
    private volatile ShutdownSummary summary;
    /** Set once by {@link #start}, before any request can arrive. */
    private Javalin app;

    private Node(Broker broker, NameRegistry names, NodeSettings settings, Operator operator) {
        this.id = newId();
        this.gate = new BrokerGate(broker);
        this.broker = gate;
        this.operator = operator;
        this.settings = settings;
        this.chores = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cartero-node-" + id);
            thread.setDaemon(true);
            return thread;
        });
        this.admission = new Admission(settings.guards());
        FrameCodec codec = new FrameCodec();
        this.metrics = new NodeMetrics(connections::size, this::roomCount);
        this.view = new BrokerView(id, gate, codec, connections::values);
        NameGate nameGate = new NameGate(names);
        this.controls = new OperatorControls(id, operator, gate, nameGate, view, chores,
                this::selfAddress, OwnClients.http(settings));
        this.context = new NodeContext(id, gate, nameGate, settings, codec,
                new MessageFrames(codec), chores, new Sessions(), metrics, view, controls,
                failures);
    }

    /**
     * Starts a node listening on {@code settings.host()} and {@code settings.port()}.
     *
     * @throws PortInUseException if another program already listens on that port
     */
    public static Node start(Broker broker, NameRegistry names, NodeSettings settings) {
        return start(broker, names, settings, Operator.random());
    }

    /**
     * Starts a node as {@link #start(Broker, NameRegistry, NodeSettings)} does, whose classroom
     * controls answer to {@code operator}'s token.
     *
     * @throws PortInUseException if another program already listens on that port
     */
    public static Node start(Broker broker, NameRegistry names, NodeSettings settings,
            Operator operator) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(operator, "operator");
        Node node = new Node(broker, names, settings, operator);
        node.listen();
        return node;
    }

    /** The port the node listens on (the one picked when the settings asked for port 0). */
    public int port() {
        return app.port();
    }

    /**
     * The node's own WebSocket address, for clients it starts itself (the operator's simulated
     * ones): on the loopback address when it listens on every interface, over TLS when the
     * node serves it, with the password or token when it asks for one.
     */
    private URI selfAddress() {
        String host = settings.host();
        if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String secret = settings.guards().secret();
        String query = secret == null ? ""
                : "?token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return URI.create((settings.secure() ? "wss" : "ws") + "://" + host + ":" + port()
                + "/ws" + query);
    }

    /** The token of the node's operator, for the classroom controls; never log it. */
    public String operatorToken() {
        return operator.token();
    }

    /** The node's id, such as {@code aula-3f9c}: its host name and four random hex digits. */
    public String id() {
        return id;
    }

    /** Shuts the node down gracefully, with the {@linkplain #DEFAULT_GRACE default grace}. */
    @Override
    public void close() {
        shutdown(DEFAULT_GRACE);
    }

    /**
     * Shuts the node down gracefully: stops accepting connections; answers frames that arrive
     * from now on with {@code shutting_down}; waits up to {@code grace} for the requests in
     * flight to be answered, and answers the rest with {@code shutting_down}; closes every
     * connection with 1012 (waiting up to two seconds for them to close); stops the web
     * server. The broker stays open: the caller closes it afterwards, which flushes it.
     * Idempotent: later calls wait for nothing and return the first call's summary.
     */
    public ShutdownSummary shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!closing.compareAndSet(false, true)) {
            return summary == null ? new ShutdownSummary(0, 0, 0) : summary;
        }
        stopAccepting();
        controls.close();
        List<Connection> open = List.copyOf(connections.values());
        int inFlight = open.stream().mapToInt(Connection::inFlight).sum();
        open.forEach(Connection::drain);
        awaitAnswered(open, grace);

        int failed = open.stream().mapToInt(Connection::failUnanswered).sum();
        open.forEach(c -> c.close(Outbox.RESTARTING, "node shutting down; reconnect"));
        awaitConnectionsClosed();
        app.stop();
        dropDelayedChores();
        chores.shutdown();
        awaitChores();
        failures.flush();

        summary = new ShutdownSummary(open.size(), Math.max(0, inFlight - failed), failed);
        LOG.info("node stopped node={} connections_closed={} requests_finished={} "
                + "requests_failed={}", id, summary.connectionsClosed(),
                summary.requestsFinished(), summary.requestsFailed());
        return summary;
    }

    /** Whether a shutdown has begun. */
    boolean closing() {
        return closing.get();
    }

    /** How many WebSocket connections are open. */
    int openConnections() {
        return connections.size();
    }

    /** The bytes waiting in every connection's outgoing buffer, summed. */
    long pendingOutgoingBytes() {
        return connections.values().stream().mapToLong(Connection::pendingBytes).sum();
    }

    /** The frames waiting in every connection's outgoing buffer, summed. */
    long pendingOutgoingFrames() {
        return connections.values().stream().mapToLong(Connection::pendingFrames).sum();
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
        long ping = PingRounds.tickMillis(settings.pingInterval());
        chores.scheduleAtFixedRate(this::pingSlice, ping, ping, TimeUnit.MILLISECONDS);
        long sweep = Math.max(10, settings.idleTimeout().toMillis() / 5);
        chores.scheduleAtFixedRate(this::closeSilent, sweep, sweep, TimeUnit.MILLISECONDS);
        long flush = BrokerFailures.INTERVAL.toMillis();
        chores.scheduleAtFixedRate(failures::flush, flush, flush, TimeUnit.MILLISECONDS);
        view.start(chores);
        LOG.info("node started node={} host={} port={} tls={} broker={}", id, settings.host(),
                app.port(), settings.secure(), broker.describe());
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.modifyWebSocketServletFactory(this::configureWebSockets);
        if (settings.secure()) {
            config.jetty.addConnector(this::secureConnector);
        }
        page.configure(config);
        config.routes.get("/health", this::health);
        config.routes.get("/metrics", this::metrics);
        config.routes.wsBeforeUpgrade("/ws", this::requireOwnOrigin);
        config.routes.ws("/ws", this::configureEndpoint);
        new Exports(gate, view, context.codec(), admission).configure(config);
    }

    /**
     * The one connector of a node with a certificate: TLS on the node's port, with no plain
     * port beside it. A client that speaks plain text to it gets its connection closed.
     * Names sent in SNI are not checked against the certificate: a node serves one site, and
     * a client that chose {@code --insecure} may well use a name the certificate lacks.
     */
    private Connector secureConnector(Server server, HttpConfiguration http) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(settings.tls().keyStore());
        tls.setKeyStorePassword(settings.tls().password());
        tls.setKeyManagerPassword(settings.tls().password());
        HttpConfiguration secure = new HttpConfiguration(http);
        secure.setSecureScheme("https");
        secure.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(secure));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
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
            LOG.info("connection closed conn={} code={} reason={}",
                    connectionId(ctx), ctx.status(), VisibleLog.of(ctx.reason()));
            disconnected(ctx);
        });
        ws.onError(ctx -> {
            LOG.debug("connection failed conn={} error={}", connectionId(ctx),
                    String.valueOf(ctx.error()));
            disconnected(ctx);
        });
    }

    /**
     * Refuses, with 403 before any WebSocket opens, an upgrade that a browser page of another
     * origin asked for: the Origin header, when there is one, must be this node's own origin
     * (the scheme it serves and the Host the request named) or one of the allowed origins,
     * character for character. Terminal clients send no Origin and pass.
     */
    private void requireOwnOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String host = ctx.header("Host");
        String own = host == null ? null : ctx.scheme() + "://" + host;
        if (origin.equals(own) || settings.guards().allowedOrigins().contains(origin)) {
            return;
        }
        LOG.warn("origin refused remote={} origin={} host={}", ctx.ip(),
                VisibleLog.of(origin), VisibleLog.of(host));
        throw new ForbiddenResponse("origin not allowed");
    }

    private void connected(WsContext ctx) {
        String connId = "c" + connectionCount.incrementAndGet();
        String address = remoteAddress(ctx);
        Connection connection = new Connection(connId, address, ctx.session, context);
        connections.put(ctx.sessionId(), connection);
        if (closing.get()) {
            connection.close(Outbox.RESTARTING, "node shutting down; reconnect");
            return;
        }
        if (!admission.open(address)) {
            LOG.warn("too many connections, refusing conn={} remote={} limit={}", connId,
                    address, settings.guards().maxConnectionsPerAddress());
            connection.refuseAtOnce(ErrorCode.TOO_MANY_CONNECTIONS, "too many connections from "
                    + "your address", Outbox.TOO_MANY_CONNECTIONS);
            return;
        }
        connection.counted();
        LOG.info("connection opened conn={} remote={}", connId, address);
        if (!admitted(ctx, connection)) {
            return;
        }
        schedule(connection::requireGreeted, settings.helloTimeout());
    }

    /**
     * Checks the password or token of the upgrade request's {@code token} parameter, when the
     * node asks for one; refuses the connection with 4007 when it is missing or wrong, or when
     * its address must still wait after too many wrong ones.
     */
    private boolean admitted(WsContext ctx, Connection connection) {
        if (!admission.required()) {
            return true;
        }
        String address = connection.address();
        long now = System.nanoTime();
        Admission.Verdict verdict = admission.check(address, ctx.queryParam("token"), now);
        if (verdict == Admission.Verdict.ADMITTED) {
            LOG.info("access granted conn={} remote={}", connection.id(), address);
            return true;
        }
        if (verdict == Admission.Verdict.WAIT) {
            long seconds = admission.secondsToWait(address, now);
            LOG.warn("access refused, too many attempts conn={} remote={} wait_s={}",
                    connection.id(), address, seconds);
            connection.refuseAtOnce(ErrorCode.TOO_MANY_ATTEMPTS, "too many wrong passwords or "
                    + "tokens from your address; wait " + seconds + " s", Outbox.UNAUTHORIZED);
            return false;
        }
        LOG.warn("access refused, wrong or missing token conn={} remote={} given={}",
                connection.id(), address, ctx.queryParam("token") != null);
        connection.refuseAtOnce(ErrorCode.UNAUTHORIZED, "this node needs a password or token,"
                + " and the one given is missing or wrong", Outbox.UNAUTHORIZED);
        return false;
    }

    private static String remoteAddress(WsContext ctx) {
        SocketAddress remote = ctx.session.getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }

    private void schedule(Runnable chore, Duration delay) {
        try {
            chores.schedule(chore, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("chore not scheduled, node stopping node={}", id);
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
            if (connections.remove(ctx.sessionId()) != null && connection.wasCounted()) {
                admission.closed(connection.address());
            }
            connection.closed();
        }
    }

    private String connectionId(WsContext ctx) {
        Connection connection = connections.get(ctx.sessionId());
        return connection == null ? "?" : connection.id();
    }

    private void health(Context ctx) {
        ctx.future(() -> brokerReachable().thenAccept(reachable -> {
            long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
            Health health = new Health(reachable ? "ok" : "degraded", id,
                    new BrokerHealth(reachable, broker.describe()), connections.size(), uptime);
            ctx.status(reachable ? 200 : 503).contentType("application/json")
                    .result(json(health));
        }));
    }

    private CompletableFuture<Boolean> brokerReachable() {
        CompletableFuture<Void> check;
        try {
            check = broker.check();
        } catch (RuntimeException e) {
            check = CompletableFuture.failedFuture(e);
        }
        return check.orTimeout(HEALTH_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warn("health check failed node={} broker={} error={}", id,
                                broker.describe(), failure.toString());
                    }
                    return failure == null;
                });
    }

    private void metrics(Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }

    private int roomCount() {
        Set<String> rooms = new HashSet<>();
        connections.values().forEach(connection -> rooms.addAll(connection.rooms()));
        return rooms.size();
    }

    private void stopAccepting() {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector accepting) {
                accepting.setAccepting(false);
            }
        }
    }

    private void awaitAnswered(List<Connection> open, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (open.stream().anyMatch(c -> c.inFlight() > 0)
                && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeSilent() {
        long since = System.nanoTime() - settings.idleTimeout().toNanos();
        for (Connection connection : connections.values()) {
            connection.requireHeardSince(since);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pingSlice() {
        int slice = pingRounds.nextSlice();
        for (Connection connection : connections.values()) {
            if (!PingRounds.inSlice(connection.id(), slice)) {
                continue;
            }
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

    /**
     * Cancels the chores still waiting for their time (hello checks): every connection is
     * closed by now, so they are moot, and the executor would otherwise wait for them.
     * Clean-ups already due still run.
     */
    private void dropDelayedChores() {
        for (Runnable task : chores.getQueue()) {
            if (task instanceof ScheduledFuture<?> chore
                    && chore.getDelay(TimeUnit.MILLISECONDS) > 0) {
                chore.cancel(false);
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
    private record Health(String status, String node, BrokerHealth broker, int connections,
            @JsonProperty("uptime_s") long uptimeSeconds) {
    }

    /** The broker's part of {@code GET /health}. */
    private record BrokerHealth(boolean reachable, String describe) {
    }
}
