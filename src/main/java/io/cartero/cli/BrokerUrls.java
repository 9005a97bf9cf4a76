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
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

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
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (isRedis(name)) {
            RedisBroker redis = redis(name);
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

    private static MemoryBroker embedded(Path dir, FsyncPolicy fsync) {
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
        if (MEMORY.equalsIgnoreCase(url.strip())) {
            return new MemoryBroker();
        }
        List<URI> uris = Arrays.stream(url.split(",")).filter(part -> !part.isBlank())
                .map(BrokerUrls::nodeUri).toList();
        if (uris.isEmpty()) {
            throw badUrl(url);
        }
        try {
            return NodeClient.connect(uris, name,
                    ClientOptions.defaults().withConnectTimeout(CONNECT_TIMEOUT));
        } catch (BrokerException e) {
            String where = uris.size() == 1 ? uris.get(0).toString() : url.strip();
            throw new CommandException(ExitCodes.UNREACHABLE, e, "error.unreachable", where,
                    new Texts.Phrase(reasonKey(e)));
        }
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
        if (MEMORY.equalsIgnoreCase(url.strip())) {
            return new MemoryBroker();
        }
        if (!isRedis(url)) {
            throw new CommandException(ExitCodes.USAGE, "error.bad_direct_broker",
                    withoutPassword(url));
        }
        RedisBroker redis = redis(url);
        redis.onSetAside(setAside);
        return redis;
    }

    /** Whether {@code text} names a Redis: its scheme is {@code redis} or {@code rediss}. */
    static boolean isRedis(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("redis://") || lower.startsWith("rediss://");
    }

    private static RedisBroker redis(String url) {
        return redis(url, RedisBroker.Settings.defaults());
    }

    /**
     * A broker on the Redis at {@code url} with {@code settings}.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} if {@code url} is not a Redis URL,
     *     or {@link ExitCodes#UNREACHABLE} if that Redis does not answer
     */
    static RedisBroker redis(String url, RedisBroker.Settings settings) {
        try {
            String text = url.strip();
            int schemeEnd = text.indexOf("://");
            return RedisBroker.connect(text.substring(0, schemeEnd).toLowerCase(Locale.ROOT)
                    + text.substring(schemeEnd), settings);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.bad_engine",
                    withoutPassword(url));
        } catch (BrokerException e) {
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
