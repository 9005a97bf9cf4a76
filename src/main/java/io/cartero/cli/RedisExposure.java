package io.cartero.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, on standard error and in the log, when a Redis that Cartero uses is reached on an
 * address other than loopback and answers commands from whoever connects, without a
 * password: then anyone on the network can read and wipe every conversation, and on older
 * or misconfigured versions write files and run programs on its computer. It asks by
 * sending {@code PING} on a connection of its own without {@code AUTH}.
 */
final class RedisExposure {
    private static final Logger LOG = LoggerFactory.getLogger(RedisExposure.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int DEFAULT_PORT = 6379;

    private final Predicate<InetAddress> loopback;

    /** Takes the addresses {@code loopback} accepts for this computer's alone. */
    RedisExposure(Predicate<InetAddress> loopback) {
        this.loopback = loopback;
    }

    /**
     * The addresses the commands take for this computer's alone: loopback ({@code 127.0.0.0/8},
     * {@code ::1}). Tests, whose servers listen on loopback only, narrow it to check the
     * commands' warning end to end.
     */
    static volatile Predicate<InetAddress> thisComputerOnly = InetAddress::isLoopbackAddress;

    /** Takes the addresses of {@link #thisComputerOnly} for this computer's alone. */
    static RedisExposure standard() {
        return new RedisExposure(address -> thisComputerOnly.test(address));
    }

    /**
     * Whether a Redis at {@code address} that {@code answersWithoutAuth} (or not) is open to
     * the network: the decision, apart from asking Redis.
     */
    boolean exposed(InetAddress address, boolean answersWithoutAuth) {
        return answersWithoutAuth && !loopback.test(address);
    }

    /**
     * Checks the Redis at {@code url} and warns on {@code context}'s standard error, in its
     * language, when it is open to the network. Never fails: a Redis it cannot ask is not
     * reported.
     *
     * @return whether it warned
     */
    boolean warnIfOpen(String url, RedisEnvironment redisEnv, CliContext context) {
        String shown = BrokerUrls.withoutPassword(url);
        URI uri;
        InetAddress address;
        try {
            uri = new URI(url.strip());
            address = InetAddress.getByName(uri.getHost());
        } catch (URISyntaxException | UnknownHostException | RuntimeException e) {
            LOG.debug("redis exposure not checked url={} reason={}", shown, e.toString());
            return false;
        }
        if (loopback.test(address) || !exposed(address, answersWithoutAuth(uri, address,
                redisEnv))) {
            return false;
        }
        LOG.warn("redis open to the network url={} auth=none risk=anyone who reaches it can "
                + "read and delete every conversation, older versions run code; see "
                + "docs/security.md", shown);
        context.err().println(context.texts().get("warning.redis_open", shown));
        return true;
    }

    private static boolean answersWithoutAuth(URI uri, InetAddress address,
            RedisEnvironment redisEnv) {
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        boolean tls = "rediss".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        try (Socket plain = Reachability.open(address, port, TIMEOUT)) {
            Socket socket = plain;
            if (tls) {
                SSLSocket secure = (SSLSocket) redisEnv.socketFactory()
                        .createSocket(plain, uri.getHost(), port, true);
                secure.startHandshake();
                socket = secure;
            }
            RedisHandshake.Reply reply = new RedisHandshake(socket).command("PING");
            return !reply.error();
        } catch (IOException | RuntimeException e) {
            LOG.debug("redis exposure not known host={} port={} reason={}", address, port,
                    e.toString());
            return false;
        }
    }
}
