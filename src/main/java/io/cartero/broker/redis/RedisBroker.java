package io.cartero.broker.redis;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.NameRegistry;
import io.cartero.broker.Presence;
import io.cartero.broker.Queues;
import io.cartero.broker.Rooms;
import io.cartero.broker.Signals;
import io.cartero.message.Names;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker on Redis, shared by every node that names the same Redis and key prefix: rooms are
 * streams, queues are lists, presence and reserved names are entries that expire unless the
 * node holding them refreshes them.
 *
 * <p>Live delivery: every publish also PUBLISHes the stored message, whole, on one live
 * channel, so Redis fans each message out to the nodes. Each broker listens on it with one
 * pub/sub connection and feeds one {@link RoomTail} per room with subscriptions here: it keeps
 * the room's latest messages, parsed once, for every subscription whose cursor lies among
 * them, and reads the stream itself only when a live message is not the next one (missed
 * while disconnected, or of a new epoch). Each time the channel is subscribed again after a
 * reconnect, every tail reads after its end. Subscriptions further behind read the stream
 * after their own cursor, so one slow listener never holds up the others. Signals (see
 * {@link RedisSignals}) travel on a second channel of the same pub/sub connection.
 * This was chosen over a blocking XREAD loop because a blocked XREAD cannot take new rooms
 * without being interrupted, and it would be one more reader per node on top of the
 * publishes.
 *
 * <p>Outages. When the connection drops (Redis killed or restarted), Lettuce reconnects by
 * itself, backing off from 50 ms to 2 s; meanwhile commands are rejected at once rather than
 * queued, so operations fail fast with a {@link BrokerException} that names the Redis URL.
 * When Redis stops answering without dropping the connection (paused, overloaded), every
 * command fails after {@link Settings#commandTimeout()} (5 s by default); such a failed publish
 * may still have been stored, which a retry with the same idempotency key settles. One warning
 * is logged when Redis goes away and one line when it is back. An outage never ends a
 * subscription: it reads on from its cursor once Redis answers again, and learns from the
 * room's epoch whether the history it was reading is still there (see
 * {@link RedisSubscription}). A subscription ends ({@code onEnd}) only when the broker closes.
 *
 * <p>Every method is thread-safe. Bad input surfaces as a failed future with a
 * {@link io.cartero.message.ValidationException}; Redis failures and a closed broker as
 * {@link BrokerException}. Listeners are called on daemon threads
 * {@code cartero-redis-delivery-N}; futures complete on {@code cartero-redis-callback-N}.
 */
public final class RedisBroker implements Broker, NameRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final long IDLE_THREAD_SECONDS = 30;
    private static final int MAX_PORT = 65_535;
    /** Reconnect attempts back off from this ... */
    private static final Duration RECONNECT_LOW = Duration.ofMillis(50);
    /** ... to at most this, so a node is back within seconds of Redis. */
    private static final Duration RECONNECT_HIGH = Duration.ofSeconds(2);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);
    /** How often this node looks for ended leases. */
    private static final Duration REAP_EVERY = Duration.ofSeconds(1);
    /** The most commands one connection keeps waiting for replies before refusing more. */
    private static final int REQUEST_QUEUE = 65_536;
    /** How many keys one SCAN looks at. */
    private static final int SCAN_COUNT = 500;

    private final Settings settings;
    private final String url;
    private final Keys keys;
    private final String node = Epochs.next();
    private final ClientResources resources;
    private final RedisClient client;
    private final ThreadPoolExecutor delivery;
    private final ThreadPoolExecutor callbacks;
    private final Timer timer;
    private final Gate gate;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> notifications;
    private final RedisAsyncCommands<String, String> redis;
    private final BlockingConnections blocking;
    private final RedisRooms rooms;
    private final RedisPresence presence;
    private final RedisQueues queues;
    private final RedisSignals signals;
    /** The names reserved through this node and kept alive by it, with their holders. */
    private final ConcurrentMap<String, String> names = new ConcurrentHashMap<>();
    /** Whether Redis is known to be away: the warning is logged once per outage. */
    private final AtomicBoolean away = new AtomicBoolean();

    private RedisBroker(RedisURI uri, Settings settings) {
        this.settings = settings;
        this.url = display(uri);
        this.keys = new Keys(settings.prefix());
        uri.setTimeout(BlockingPop.SLICE.plus(settings.commandTimeout()));
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_LOW, RECONNECT_HIGH, 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled())
                .requestQueueSize(REQUEST_QUEUE);
        if (settings.trustedCertificates() != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider()
                    .trustManager(settings.trustedCertificates().toFile()).build());
        }
        client.setOptions(options.build());
        this.delivery = pool("cartero-redis-delivery");
        this.callbacks = pool("cartero-redis-callback");
        this.timer = new Timer();
        this.gate = new Gate(url, callbacks);
        try {
            this.connection = client.connect();
            this.notifications = client.connectPubSub();
            Scripts.ALL.forEach(script -> script.load(connection.sync()));
        } catch (RedisException e) {
            stopThreads();
            shutDown();
            throw new BrokerException("cannot reach Redis at " + url + ": " + e.getMessage(), e);
        }
        connection.setTimeout(settings.commandTimeout());
        notifications.setTimeout(settings.commandTimeout());
        this.redis = connection.async();
        this.blocking = new BlockingConnections(client, uri);
        this.rooms = new RedisRooms(settings, gate, redis, delivery, timer);
        this.presence = new RedisPresence(settings, gate, redis, rooms);
        this.queues = new RedisQueues(settings, gate, redis, blocking, timer);
        this.signals = new RedisSignals(gate, redis, keys, delivery);
        listen();
        timer.every(this::refresh, settings.presenceTtl().dividedBy(3));
        timer.every(queues::reap, REAP_EVERY);
        LOG.info("redis broker started url={} prefix={} retention={} node={}", url,
                settings.prefix(), settings.retention(), node);
    }

    /**
     * A broker on the Redis at {@code url} with {@link Settings#defaults()}.
     *
     * @see #connect(String, Settings)
     */
    public static RedisBroker connect(String url) {
        return connect(url, Settings.defaults());
    }

    /**
     * A broker on the Redis at {@code url}: {@code redis://[user:password@]host:port[/db]}, or
     * {@code rediss://...} for TLS. Connects before it returns.
     *
     * @throws IllegalArgumentException if {@code url} is not such a URL
     * @throws BrokerException if Redis cannot be reached
     */
    public static RedisBroker connect(String url, Settings settings) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(settings, "settings");
        RedisURI uri;
        try {
            uri = RedisURI.create(url.strip());
        } catch (RuntimeException e) {
            // Neither the URL nor Lettuce's message, which may quote it, password and all.
            throw new IllegalArgumentException("not a Redis URL: " + withoutUserInfo(url));
        }
        if (uri.getHost() == null || uri.getHost().isBlank() || uri.getPort() < 1
                || uri.getPort() > MAX_PORT) {
            throw new IllegalArgumentException("not a Redis URL (host and port?): "
                    + withoutUserInfo(url));
        }
        return new RedisBroker(uri, settings);
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

    /**
     * From now on, {@code listener} is told of every malformed queue entry that a pop set
     * aside on a dead-letter list (see {@link ClassroomQueues}); called on a callback thread.
     */
    public void onSetAside(Consumer<SetAside> listener) {
        queues.onSetAside(listener);
    }

    /**
     * Deletes every key under this broker's prefix, and answers how many there were. For a
     * prefix that served one run only, such as the guided tour's: what the other brokers on
     * the prefix keep is gone too, so they should be closed first.
     *
     * @throws IllegalStateException if the prefix is empty: that would empty the database
     * @throws BrokerException if Redis cannot be reached or the broker is closed
     */
    public long deleteKeys() {
        if (settings.prefix().isEmpty()) {
            throw new IllegalStateException("no key prefix: deleting would empty the database");
        }
        if (gate.isClosed()) {
            throw gate.closedException();
        }
        try {
            RedisCommands<String, String> sync = connection.sync();
            ScanArgs matching = ScanArgs.Builder.matches(keys.everything()).limit(SCAN_COUNT);
            KeyScanCursor<String> cursor = sync.scan(matching);
            long deleted = unlink(sync, cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = sync.scan(cursor, matching);
                deleted += unlink(sync, cursor.getKeys());
            }
            LOG.info("keys deleted url={} prefix={} count={}", url, settings.prefix(), deleted);
            return deleted;
        } catch (RedisException e) {
            throw new BrokerException("cannot delete the keys at " + url + ": "
                    + e.getMessage(), e);
        }
    }

    private static long unlink(RedisCommands<String, String> sync, List<String> found) {
        return found.isEmpty() ? 0 : sync.unlink(found.toArray(String[]::new));
    }

    /** {@inheritDoc} A PING: it fails within the command timeout when Redis is away. */
    @Override
    public CompletableFuture<Void> check() {
        return gate.call(() -> redis.ping()).thenApply(pong -> null);
    }

    @Override
    public String describe() {
        return url;
    }

    /**
     * {@inheritDoc} The name's key holds the holder and expires unless refreshed; this node
     * refreshes it every third of the presence time to live while it is reserved here.
     */
    @Override
    public CompletableFuture<Boolean> reserve(String name, String holder) {
        return gate.call(() -> {
            Names.requireUser(name);
            Names.requireHolder(holder);
            return hold(name, holder).thenApply(held -> {
                if (held) {
                    names.put(name, holder);
                }
                return held;
            });
        });
    }

    @Override
    public void release(String name, String holder) {
        if (name == null || holder == null || !names.remove(name, holder) || gate.isClosed()) {
            return;
        }
        releaseKey(name, holder).whenComplete((deleted, failure) -> {
            if (failure != null && !gate.isClosed()) {
                LOG.warn("name release failed name={}, it expires in {}", name,
                        settings.presenceTtl());
            }
        });
    }

    @Override
    public void close() {
        if (!gate.close()) {
            return;
        }
        BrokerException cause = gate.closedException();
        releaseNames();
        rooms.close(cause);
        queues.close(cause);
        signals.close();
        blocking.close();
        shutDown();
        stopThreads();
        LOG.info("redis broker closed url={}", url);
    }

    private void listen() {
        String channel = keys.liveMessages();
        notifications.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String text) {
                if (from.equals(channel)) {
                    rooms.heard(text);
                } else {
                    signals.received(text);
                }
            }

            /**
             * Lettuce subscribes again after each reconnect; live messages sent before that
             * confirmation were missed, so every room's tail reads the stream once more.
             */
            @Override
            public void subscribed(String subscribedTo, long count) {
                if (subscribedTo.equals(channel)) {
                    rooms.wakeAll();
                }
            }
        });
        RedisConnectionStateListener watcher = new Watcher();
        notifications.addListener(watcher);
        connection.addListener(watcher);
        notifications.sync().subscribe(channel, signals.channel());
    }

    /**
     * Keeps presence and reserved names alive. A name whose key vanished (it expired during an
     * outage, or Redis came back empty) is reserved again; one that another holder took
     * meanwhile is dropped here with a warning.
     */
    private void refresh() {
        try {
            presence.refresh();
            names.forEach(this::keep);
        } catch (RuntimeException e) {
            LOG.warn("refresh failed url={}", url, e);
        }
    }

    private void keep(String name, String holder) {
        hold(name, holder).whenComplete((held, failure) -> {
            if (Boolean.FALSE.equals(held) && names.remove(name, holder)) {
                LOG.warn("reserved name lost to another holder name={}", name);
            }
        });
    }

    private CompletableFuture<Boolean> hold(String name, String holder) {
        return Scripts.RESERVE.<Long>run(redis, ScriptOutputType.INTEGER,
                new String[] {keys.name(name)}, holder,
                Long.toString(settings.presenceTtl().toMillis())).thenApply(held -> held == 1);
    }

    private CompletableFuture<Long> releaseKey(String name, String holder) {
        return Scripts.RELEASE.run(redis, ScriptOutputType.INTEGER,
                new String[] {keys.name(name)}, holder);
    }

    private void releaseNames() {
        List<CompletableFuture<Long>> releasing = names.entrySet().stream()
                .map(name -> releaseKey(name.getKey(), name.getValue())).toList();
        names.clear();
        try {
            CompletableFuture.allOf(releasing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("names not released on close url={}, they expire in {}", url,
                    settings.presenceTtl());
        }
    }

    private void shutDown() {
        client.shutdownAsync(0, 2, TimeUnit.SECONDS)
                .whenComplete((done, failure) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }

    private void stopThreads() {
        timer.stop();
        delivery.shutdown();
        callbacks.shutdown();
    }

    private static ThreadPoolExecutor pool(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DaemonThreads(name));
    }

    /** {@code url} without what comes between {@code ://} and {@code @}. */
    private static String withoutUserInfo(String url) {
        int schemeEnd = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return schemeEnd < 0 || at < schemeEnd ? url
                : url.substring(0, schemeEnd + 3) + url.substring(at + 1);
    }

    /** The URL without its password, for logs and messages. */
    private static String display(RedisURI uri) {
        String scheme = uri.isSsl() ? "rediss" : "redis";
        String database = uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase();
        return scheme + "://" + uri.getHost() + ":" + uri.getPort() + database;
    }

    /** Logs one warning when Redis goes away and a note when it is back, then catches up. */
    private final class Watcher implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            if (away.compareAndSet(true, false)) {
                LOG.info("redis reachable again url={}", url);
                rooms.wakeAll();
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (!gate.isClosed() && away.compareAndSet(false, true)) {
                LOG.warn("redis unreachable url={}: operations fail until it is back,"
                        + " reconnecting", url);
            }
        }
    }

    /**
     * How a Redis broker keeps things.
     *
     * @param prefix the start of every key and channel name, such as {@code cartero:}
     * @param retention the newest messages kept per room (exact), at least 1
     * @param idempotencyWindow how long an idempotency key is remembered, positive
     * @param presenceTtl how long a member or a reserved name outlives the last refresh from
     *     its node; a node that dies loses its users after this long (refreshed every third)
     * @param commandTimeout how long one command may take before it fails: while Redis is
     *     paused or overloaded, operations fail after this long instead of hanging
     * @param trustedCertificates for {@code rediss://}, a PEM file of the certificates that
     *     Redis's certificate must be signed by, or {@code null} for the JDK's trust store; the
     *     host name is checked either way
     */
    public record Settings(String prefix, int retention, Duration idempotencyWindow,
            Duration presenceTtl, Duration commandTimeout, Path trustedCertificates) {
        /** The default key prefix. */
        public static final String DEFAULT_PREFIX = "cartero:";
        /** The default retention per room. */
        public static final int DEFAULT_RETENTION = 10_000;

        public Settings {
            Objects.requireNonNull(prefix, "prefix");
            if (retention < 1) {
                throw new IllegalArgumentException("retention must be at least 1: " + retention);
            }
            requirePositive(idempotencyWindow, "idempotencyWindow");
            requirePositive(presenceTtl, "presenceTtl");
            requirePositive(commandTimeout, "commandTimeout");
            if (presenceTtl.toMillis() < 3) {
                throw new IllegalArgumentException("presenceTtl must be at least 3 ms");
            }
        }

        /** The default command timeout. */
        public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

        /** Prefix {@code cartero:}, 10,000 messages per room, keys for 10 minutes, 30 s, 5 s. */
        public static Settings defaults() {
            return new Settings(DEFAULT_PREFIX, DEFAULT_RETENTION, Duration.ofMinutes(10),
                    Duration.ofSeconds(30), DEFAULT_COMMAND_TIMEOUT, null);
        }

        /** These settings with another key prefix. */
        public Settings withPrefix(String keyPrefix) {
            return new Settings(keyPrefix, retention, idempotencyWindow, presenceTtl,
                    commandTimeout, trustedCertificates);
        }

        /** These settings with another retention. */
        public Settings withRetention(int messages) {
            return new Settings(prefix, messages, idempotencyWindow, presenceTtl,
                    commandTimeout, trustedCertificates);
        }

        /** These settings with another idempotency window. */
        public Settings withIdempotencyWindow(Duration window) {
            return new Settings(prefix, retention, window, presenceTtl,
                    commandTimeout, trustedCertificates);
        }

        /** These settings with another presence time to live. */
        public Settings withPresenceTtl(Duration ttl) {
            return new Settings(prefix, retention, idempotencyWindow, ttl,
                    commandTimeout, trustedCertificates);
        }

        /** These settings with another command timeout. */
        public Settings withCommandTimeout(Duration timeout) {
            return new Settings(prefix, retention, idempotencyWindow, presenceTtl,
                    timeout, trustedCertificates);
        }

        /**
         * These settings trusting, for {@code rediss://}, only the certificates in the PEM
         * file {@code file} (the authority that signed Redis's certificate); {@code null} for
         * the JDK's trust store.
         */
        public Settings withTrustedCertificates(Path file) {
            return new Settings(prefix, retention, idempotencyWindow, presenceTtl,
                    commandTimeout, file);
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
        }
    }
}
