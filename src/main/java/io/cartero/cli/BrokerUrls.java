package io.cartero.cli;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.NameRegistry;
import io.cartero.broker.disk.DirectoryInUseException;
import io.cartero.broker.disk.EmbeddedBroker;
import io.cartero.broker.disk.FsyncPolicy;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.broker.redis.RedisBroker;
import io.cartero.broker.redis.SetAside;
import io.cartero.client.ClientOptions;
import io.cartero.client.NodeClient;
import io.cartero.client.ServerTrust;
import io.cartero.client.UntrustedCertificateException;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Turns what people type after {@code --server} and {@code --broker} into a broker: the only
 * place that picks a broker implementation.
 */
final class BrokerUrls {
    /** The port of a node when an address names none. */
    static final int DEFAULT_PORT = 8080;
    /** How long connecting to a node may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The in-process broker, with nothing on disk. */
    static final String MEMORY = "memory";
    /** The default broker of a node: in-process, with history and queues kept on disk. */
    static final String EMBEDDED = "embedded";
    private static final String EMBEDDED_PREFIX = EMBEDDED + ":";
    /** The name of a Redis broker, whatever its URL (which may hold a password). */
    static final String REDIS = "redis";

    private BrokerUrls() {
    }

    /**
     * A broker for a node to serve: {@code embedded} (in-process, kept in {@code data}),
     * {@code embedded:DIR} (kept in {@code DIR}), {@code memory} (in-process, nothing on
     * disk), or a Redis shared with other nodes ({@code redis://[user:password@]host:port[/db]},
     * {@code rediss://} for TLS).
     *
     * @param data the data directory of {@code embedded}
     * @param fsync when the embedded broker forces its files to the device
     * @throws CommandException with {@link ExitCodes#USAGE} for any other name, or
     *     {@link ExitCodes#UNREACHABLE} if the Redis named does not answer or the data
     *     directory cannot be used (another server has it, or it cannot be created)
     */
    static NodeBroker engine(String name, Path data, FsyncPolicy fsync) {
        return engine(name, data, fsync, RedisEnvironment.NONE);
    }

    /** As {@link #engine(String, Path, FsyncPolicy)}, a Redis with what {@code redisEnv} adds. */
    static NodeBroker engine(String name, Path data, FsyncPolicy fsync,
            RedisEnvironment redisEnv) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (isRedis(name)) {
            RedisBroker redis = redis(name, RedisBroker.Settings.defaults(), redisEnv);
            return new NodeBroker(REDIS, redis, redis, "");
        }
        if (key.equals(MEMORY)) {
            MemoryBroker broker = new MemoryBroker();
            return new NodeBroker(MEMORY, broker, broker, "");
        }
        Path dir = embeddedDirectory(name.strip(), data);
        if (dir == null) {
            throw new CommandException(ExitCodes.USAGE, "error.bad_engine", name);
        }
        MemoryBroker broker = embedded(dir, fsync);
        return new NodeBroker(EMBEDDED, broker, broker, dir.toAbsolutePath().normalize()
                .toString());
    }

    /** The directory {@code name} asks for, or null if it names no embedded broker. */
    private static Path embeddedDirectory(String name, Path data) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals(EMBEDDED)) {
            return data;
        }
        if (lower.startsWith(EMBEDDED_PREFIX) && name.length() > EMBEDDED_PREFIX.length()) {
            return Path.of(name.substring(EMBEDDED_PREFIX.length()).strip());
        }
        return null;
    }

    static MemoryBroker embedded(Path dir, FsyncPolicy fsync) {
        try {
            return EmbeddedBroker.open(dir, MemoryBroker.Settings.defaults(), fsync);
        } catch (DirectoryInUseException e) {
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.data_in_use",
                    e.directory().toString());
        } catch (BrokerException e) {
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.data_unusable",
                    dir.toAbsolutePath().normalize().toString(), e.getMessage());
        }
    }

    /**
     * The broker at {@code url} for a terminal command: {@code memory} is an in-process broker
     * (useful for trying things out alone); anything else names a node, or several nodes
     * separated by commas (the client goes to the next when one is lost).
     *
     * @param name the user name to take on the node, or {@code null} to only read
     * @throws CommandException with {@link ExitCodes#UNREACHABLE} if no node answers there,
     *     or {@link ExitCodes#USAGE} if {@code url} is not an address
     * @throws io.cartero.message.ValidationException if the node refuses the name
     */
    static Broker open(String url, String name) {
        return open(url, name, null);
    }

    /**
     * As {@link #open(String, String)}, presenting {@code secret} (a password or token, or
     * {@code null}) to the node; without it, the {@code token} parameter of the URL, if any.
     */
    static Broker open(String url, String name, String secret) {
        return open(url, name, secret, ServerTrust.system());
    }

    /**
     * As {@link #open(String, String, String)}, checking the certificates of {@code wss://}
     * nodes with {@code trust}. A certificate refused, or a {@code ws://} address of a node
     * that speaks TLS, ends with a message that says what to do; never a fallback to the
     * other scheme.
     */
    static Broker open(String url, String name, String secret, ServerTrust trust) {
        if (MEMORY.equalsIgnoreCase(url.strip())) {
            return new MemoryBroker();
        }
        List<String> parts = Arrays.stream(url.split(",")).filter(part -> !part.isBlank())
                .toList();
        List<URI> uris = parts.stream().map(BrokerUrls::withoutQuery)
                .map(BrokerUrls::nodeUri).toList();
        if (uris.isEmpty()) {
            throw badUrl(url);
        }
        String token = secret != null ? secret : parts.stream().map(BrokerUrls::tokenOf)
                .filter(Objects::nonNull).findFirst().orElse(null);
        try {
            return NodeClient.connect(uris, name, ClientOptions.defaults()
                    .withConnectTimeout(CONNECT_TIMEOUT).withToken(token).withTrust(trust));
        } catch (BrokerException e) {
            String where = uris.size() == 1 ? uris.get(0).toString() : url.strip();
            throw unreachable(e, where, uris.get(uris.size() - 1));
        }
    }

    /** Why {@code error} could not reach the node at {@code last}, the last address tried. */
    private static CommandException unreachable(BrokerException error, String where, URI last) {
        UntrustedCertificateException refused = causeOf(error,
                UntrustedCertificateException.class);
        if (refused != null) {
            String host = refused.host() != null ? refused.host() : last.getHost();
            return new CommandException(ExitCodes.UNREACHABLE, error, "error.tls_"
                    + refused.reason().name().toLowerCase(Locale.ROOT), where, host);
        }
        if ("ws".equals(last.getScheme()) && speaksTls(last)) {
            return new CommandException(ExitCodes.UNREACHABLE, error, "error.tls_expected",
                    where);
        }
        return new CommandException(ExitCodes.UNREACHABLE, error, "error.unreachable", where,
                new Texts.Phrase(reasonKey(error)));
    }

    /** Whether what listens at {@code uri}'s host and port answers as a TLS server. */
    private static boolean speaksTls(URI uri) {
        try {
            InetAddress address = InetAddress.getByName(uri.getHost());
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            return PortSniffer.sniff(address, port, CONNECT_TIMEOUT) == PortSniffer.Kind.TLS;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /**
     * The broker at {@code url} for a terminal command that talks to it straight, with no
     * node: {@code memory} (in-process) or a Redis ({@code redis://[user:password@]host:port
     * [/db]}, {@code rediss://} for TLS), where the workshop's lists live.
     *
     * @param setAside told of each malformed entry a pop set aside (Redis only)
     * @throws CommandException with {@link ExitCodes#USAGE} for any other URL, or
     *     {@link ExitCodes#UNREACHABLE} if the Redis named does not answer
     */
    static Broker direct(String url, Consumer<SetAside> setAside) {
        return direct(url, setAside, RedisEnvironment.NONE);
    }

    /** As {@link #direct(String, Consumer)}, a Redis with what {@code redisEnv} adds. */
    static Broker direct(String url, Consumer<SetAside> setAside, RedisEnvironment redisEnv) {
        if (MEMORY.equalsIgnoreCase(url.strip())) {
            return new MemoryBroker();
        }
        if (!isRedis(url)) {
            throw new CommandException(ExitCodes.USAGE, "error.bad_direct_broker",
                    withoutPassword(url));
        }
        RedisBroker redis = redis(url, RedisBroker.Settings.defaults(), redisEnv);
        redis.onSetAside(setAside);
        return redis;
    }

    /** Whether {@code text} names a Redis: its scheme is {@code redis} or {@code rediss}. */
    static boolean isRedis(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("redis://") || lower.startsWith("rediss://");
    }

    /**
     * A broker on the Redis at {@code url} with {@code settings}.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} if {@code url} is not a Redis URL,
     *     or {@link ExitCodes#UNREACHABLE} if that Redis does not answer
     */
    static RedisBroker redis(String url, RedisBroker.Settings settings) {
        return redis(url, settings, RedisEnvironment.NONE);
    }

    /**
     * As {@link #redis(String, RedisBroker.Settings)}, with the password and the authority
     * that {@code redisEnv} adds. Whatever fails, the password appears in no message.
     */
    static RedisBroker redis(String url, RedisBroker.Settings settings,
            RedisEnvironment redisEnv) {
        try {
            String text = redisEnv.url(url).strip();
            int schemeEnd = text.indexOf("://");
            return RedisBroker.connect(text.substring(0, schemeEnd).toLowerCase(Locale.ROOT)
                    + text.substring(schemeEnd), redisEnv.settings(settings));
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.bad_engine",
                    withoutPassword(url));
        } catch (BrokerException e) {
            if (causeOf(e, SSLException.class) != null
                    || causeOf(e, CertificateException.class) != null) {
                throw new CommandException(ExitCodes.UNREACHABLE, e, "error.redis_tls_refused",
                        withoutPassword(url));
            }
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.redis_unreachable",
                    withoutPassword(url), rootMessage(e));
        }
    }

    /** {@code url} without the user and password in it, fit to be shown. */
    static String withoutPassword(String url) {
        String text = url.strip();
        int at = text.lastIndexOf('@');
        int schemeEnd = text.indexOf("://");
        if (at < 0 || schemeEnd < 0 || at < schemeEnd) {
            return text;
        }
        return text.substring(0, schemeEnd + 3) + text.substring(at + 1);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /**
     * A node's broker with its name registry.
     *
     * @param name {@code embedded}, {@code memory} or {@code redis}: what the server says it
     *     uses ({@code server.engine_NAME} in the bundles)
     * @param broker the broker
     * @param names the registry that keeps user names unique
     * @param where where the broker keeps its data, for people: the embedded broker's
     *     directory; empty for the others
     */
    record NodeBroker(String name, Broker broker, NameRegistry names, String where) {
    }

    /**
     * The WebSocket address of the node at {@code text}: {@code host}, {@code host:port},
     * {@code ws://}, {@code wss://}, or {@code http://} and {@code https://} (which become
     * {@code ws://} and {@code wss://}). A bare host gets port 8080; a URL with a scheme keeps
     * that scheme's own default port.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} for anything else
     */
    /** {@code text} without its query ({@code ?token=...}), which holds no address. */
    static String withoutQuery(String text) {
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    /** The {@code token} parameter of the query of {@code text}, decoded; null if none. */
    static String tokenOf(String text) {
        int query = text.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : text.substring(query + 1).strip().split("&")) {
            if (pair.startsWith("token=") && pair.length() > "token=".length()) {
                try {
                    return URLDecoder.decode(pair.substring("token=".length()),
                            StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new CommandException(ExitCodes.USAGE, e, "error.bad_url",
                            withoutQuery(text));
                }
            }
        }
        return null;
    }

    static URI nodeUri(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw badUrl(text);
        }
        int schemeEnd = trimmed.indexOf("://");
        if (schemeEnd < 0) {
            return withDefaultPort(parse("ws://" + trimmed, text));
        }
        String scheme = trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = trimmed.substring(schemeEnd);
        return parse(webSocketScheme(scheme, text) + rest, text);
    }

    private static String webSocketScheme(String scheme, String text) {
        return switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw badUrl(text);
        };
    }

    private static URI parse(String candidate, String text) {
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.bad_url", text);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw badUrl(text);
        }
        return uri;
    }

    private static URI withDefaultPort(URI uri) {
        if (uri.getPort() != -1) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://" + hostForUri(uri) + ":" + DEFAULT_PORT
                + uri.getRawPath());
    }

    private static String hostForUri(URI uri) {
        String host = uri.getHost();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Why a node could not be reached, as the bundle key of a short reason. */
    private static String reasonKey(BrokerException error) {
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException
                    || cause instanceof UnknownHostException) {
                return "reason.unknown_host";
            }
            if (cause instanceof HttpTimeoutException) {
                return "reason.timeout";
            }
            if (cause instanceof WebSocketHandshakeException) {
                return "reason.not_a_node";
            }
            if (cause instanceof ConnectException) {
                return "reason.refused";
            }
        }
        return "reason.failed";
    }

    private static CommandException badUrl(String text) {
        return new CommandException(ExitCodes.USAGE, "error.bad_url", String.valueOf(text));
    }
}
