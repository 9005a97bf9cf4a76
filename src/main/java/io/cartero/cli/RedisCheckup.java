package io.cartero.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@code cartero doctor} for a Redis ({@code --broker redis://...}): the host, the TCP port
 * (and, when it is refused, the other of 6379 and 6380, a common mix-up in class), the TLS
 * handshake for {@code rediss://}, then {@code AUTH} when the address holds a password,
 * {@code PING}, and the round-trip time of a few more. Each answer of Redis is explained:
 * protected mode, a missing or wrong password, TLS on one side only, something else on the
 * port.
 */
final class RedisCheckup extends Checkup {
    private static final int DEFAULT_PORT = 6379;
    private static final int CLASSROOM_PORT = 6380;

    private final String url;
    private final String host;
    private final int port;
    private final boolean tls;
    private final String user;
    private final String password;
    private final int database;
    private final SSLSocketFactory sockets;

    private RedisCheckup(String url, URI uri, SSLSocketFactory sockets, DoctorReport report,
            Texts texts, Duration timeout) {
        super(report, texts, timeout);
        this.url = url;
        this.sockets = sockets;
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        this.tls = "rediss".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        String userInfo = uri.getUserInfo();
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        this.user = colon > 0 ? userInfo.substring(0, colon) : null;
        this.password = userInfo == null ? null
                : colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
        this.database = database(uri.getPath(), url);
    }

    /**
     * A check of the Redis at {@code url}.
     *
     * @param shown {@code url} without its password, for messages
     * @param sockets what a {@code rediss://} handshake trusts
     * @throws CommandException with {@link ExitCodes#USAGE} if it is not a Redis address
     */
    static RedisCheckup of(String url, String shown, SSLSocketFactory sockets,
            DoctorReport report, Texts texts, Duration timeout) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getHost() == null || !BrokerUrls.isRedis(url)) {
                throw new CommandException(ExitCodes.USAGE, "error.bad_direct_broker", shown);
            }
            return new RedisCheckup(shown, uri, sockets, report, texts, timeout);
        } catch (URISyntaxException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.bad_direct_broker", shown);
        }
    }

    @Override
    String target() {
        return url;
    }

    @Override
    void run() {
        InetAddress address = lookUp(host);
        if (address == null) {
            return;
        }
        Reachability.Attempt attempt = connect(host, address, port);
        if (attempt.result() == Reachability.Connect.REFUSED) {
            refused(address, port, refusal(address));
        }
        if (attempt.result() != Reachability.Connect.OPEN) {
            return;
        }

        try (Socket socket = Reachability.open(address, port, timeout)) {
            Socket channel = tls ? handshake(socket, address) : socket;
            if (channel != null) {
                talk(new RedisHandshake(channel), address);
            }
        } catch (IOException e) {
            report.failed("redis", texts.get("doctor.redis_no_answer", url),
                    problem("failed", host, port, e.getMessage()));
        }
    }

    /** Why nothing listens: the other usual port may have the Redis. */
    private DoctorReport.Problem refusal(InetAddress address) {
        int other = port == DEFAULT_PORT ? CLASSROOM_PORT
                : port == CLASSROOM_PORT ? DEFAULT_PORT : -1;
        if (other != -1 && Reachability.connect(address, other, timeout).result()
                == Reachability.Connect.OPEN
                && PortSniffer.sniff(address, other, timeout) == PortSniffer.Kind.REDIS) {
            return problem("redis_port_mixup", host, port, String.valueOf(other));
        }
        return problem("refused_redis", host, port, "");
    }

    /** The TLS socket over {@code socket}, or null once a failed handshake is reported. */
    private Socket handshake(Socket socket, InetAddress address) throws IOException {
        SSLSocket tlsSocket = (SSLSocket) sockets.createSocket(socket, host, port, true);
        SSLParameters parameters = tlsSocket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tlsSocket.setSSLParameters(parameters);
        long start = System.nanoTime();
        try {
            tlsSocket.startHandshake();
        } catch (IOException e) {
            PortSniffer.Kind kind = PortSniffer.sniff(address, port, timeout);
            String id = kind == PortSniffer.Kind.TLS ? "tls_untrusted" : "tls_not_spoken";
            report.failed("tls", texts.get("doctor.tls_failed", describe(e)),
                    problem(id, host, port, "redis://", "rediss://"));
            return null;
        }
        report.passed("tls", texts.get("doctor.tls_ok", tlsSocket.getSession().getProtocol()),
                Reachability.since(start));
        return tlsSocket;
    }

    private void talk(RedisHandshake redis, InetAddress address) {
        try {
            if (password != null && !authenticate(redis)) {
                return;
            }
            if (!ping(redis) || !select(redis)) {
                return;
            }
            roundTrip(redis);
        } catch (RedisHandshake.NotRedisException e) {
            report.failed("redis", texts.get("doctor.redis_no_answer", url),
                    notRedis(address, e.getMessage()));
        } catch (IOException e) {
            report.failed("redis", texts.get("doctor.redis_no_answer", url),
                    notRedis(address, ""));
        }
    }

    private boolean authenticate(RedisHandshake redis) throws IOException {
        RedisHandshake.Reply reply = user != null ? redis.command("AUTH", user, password)
                : redis.command("AUTH", password);
        if (!reply.error()) {
            report.passed("auth", texts.get("doctor.redis_auth_ok"), null);
            return true;
        }
        if (reply.text().contains("without any password configured")
                || reply.text().contains("no password is set")) {
            report.note("auth", texts.get("doctor.redis_password_not_needed"));
            return true;
        }
        report.failed("auth", texts.get("doctor.redis_auth_failed", brief(reply.text())),
                refusedBy(reply));
        return false;
    }

    private boolean ping(RedisHandshake redis) throws IOException {
        long start = System.nanoTime();
        RedisHandshake.Reply reply = redis.command("PING");
        if (reply.error()) {
            report.failed("ping", texts.get("doctor.redis_ping_failed", brief(reply.text())),
                    refusedBy(reply));
            return false;
        }
        report.passed("ping", texts.get("doctor.redis_ping_ok", version(redis)),
                Reachability.since(start));
        return true;
    }

    private boolean select(RedisHandshake redis) throws IOException {
        if (database == 0) {
            return true;
        }
        RedisHandshake.Reply reply = redis.command("SELECT", String.valueOf(database));
        if (reply.error()) {
            report.failed("select", texts.get("doctor.redis_select_failed",
                    String.valueOf(database)), problem("redis_error", host, port, reply.text()));
            return false;
        }
        return true;
    }

    private void roundTrip(RedisHandshake redis) throws IOException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < ROUND_TRIPS; i++) {
            long start = System.nanoTime();
            redis.command("PING");
            times.add(System.nanoTime() - start);
        }
        Collections.sort(times);
        report.passed("round_trip", texts.get("doctor.redis_round_trip",
                times.get(times.size() / 2) / 1_000_000.0, ROUND_TRIPS), null);
    }

    /** The server's version from {@code INFO server}, or "?" if it will not say. */
    private static String version(RedisHandshake redis) throws IOException {
        RedisHandshake.Reply info = redis.command("INFO", "server");
        if (info.error()) {
            return "?";
        }
        return info.text().lines().filter(line -> line.startsWith("redis_version:"))
                .map(line -> line.substring("redis_version:".length()).strip())
                .findFirst().orElse("?");
    }

    private DoctorReport.Problem refusedBy(RedisHandshake.Reply reply) {
        if (reply.isError("DENIED")) {
            return problem("protected_mode", host, port, "");
        }
        if (reply.isError("NOAUTH")) {
            return problem("noauth", host, port, "");
        }
        if (reply.isError("WRONGPASS") || reply.text().startsWith("ERR invalid password")
                || reply.text().startsWith("ERR invalid username-password")) {
            return problem("wrong_password", host, port, "");
        }
        return problem("redis_error", host, port, reply.text());
    }

    /** Something on the port that did not answer as Redis: which kind, as far as one can tell. */
    private DoctorReport.Problem notRedis(InetAddress address, String start) {
        if (start.startsWith("HTTP/")) {
            return problem("not_redis_http", host, port, "");
        }
        PortSniffer.Kind kind = start.isEmpty() || start.charAt(0) == 0x15
                || start.charAt(0) == 0x16 ? PortSniffer.sniff(address, port, timeout)
                : PortSniffer.Kind.SILENT;
        if (!tls && kind == PortSniffer.Kind.TLS) {
            return problem("tls_expected", host, port, "redis://", "rediss://");
        }
        if (kind == PortSniffer.Kind.HTTP) {
            return problem("not_redis_http", host, port, "");
        }
        return problem("not_redis", host, port, "");
    }

    /** The first sentence of a Redis reply, which may run to a paragraph (DENIED does). */
    static String brief(String reply) {
        int end = reply.indexOf(". ");
        String first = end < 0 ? reply : reply.substring(0, end + 1);
        return first.length() <= 120 ? first : first.substring(0, 119) + "…";
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static int database(String path, String shown) {
        String digits = path == null ? "" : path.replace("/", "");
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.bad_direct_broker", shown);
        }
    }
}
