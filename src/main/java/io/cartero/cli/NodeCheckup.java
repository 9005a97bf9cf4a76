package io.cartero.cli;

import io.cartero.client.NodeProbe;
import io.cartero.client.ServerTrust;
import io.cartero.message.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/**
 * {@code cartero doctor} for a node: the host, the TCP port, then the WebSocket handshake
 * (with the password or token, when one is given) and an anonymous {@code hello} answered by
 * a {@code welcome}, and the round-trip time of a few pings. A node that wants a password or
 * token, or refuses the one given, is told apart; any other failure is explained by what
 * listens on the port ({@link PortSniffer}).
 */
final class NodeCheckup extends Checkup {
    private final URI server;
    /** The password or token to present, or null; never printed. */
    private final String secret;
    private final String host;
    private final int port;
    private final boolean tls;
    private final ServerTrust trust;

    NodeCheckup(URI server, String secret, ServerTrust trust, DoctorReport report, Texts texts,
            Duration timeout) {
        super(report, texts, timeout);
        this.server = server;
        this.secret = secret;
        this.trust = trust;
        this.host = server.getHost();
        this.tls = "wss".equals(server.getScheme());
        this.port = server.getPort() != -1 ? server.getPort() : tls ? 443 : 80;
    }

    @Override
    String target() {
        return server.toString();
    }

    @Override
    void run() {
        InetAddress address = lookUp(host);
        if (address == null) {
            return;
        }
        Reachability.Attempt attempt = connect(host, address, port);
        if (attempt.result() == Reachability.Connect.REFUSED) {
            refused(address, port, problem("refused", host, port, ""));
        }
        if (attempt.result() != Reachability.Connect.OPEN) {
            return;
        }

        try {
            NodeProbe.Welcomed welcomed = NodeProbe.check(server, secret, trust, timeout,
                    ROUND_TRIPS);
            if (secret != null) {
                report.passed("access", texts.get("doctor.access_ok"), null);
            }
            report.passed("hello", texts.get("doctor.hello_ok", welcomed.node(),
                    String.valueOf(welcomed.version())), null);
            report.passed("round_trip", texts.get("doctor.round_trip",
                    millis(welcomed.roundTrip()), welcomed.pings()), null);
        } catch (NodeProbe.ProbeException e) {
            if (e.problem() == NodeProbe.Problem.ACCESS_REFUSED) {
                accessRefused(e);
                return;
            }
            report.failed("hello", texts.get("doctor.hello_failed", server.toString()),
                    explain(e, address));
        }
    }

    /** Wanted a password or token, refused the one given, or makes this address wait. */
    private void accessRefused(NodeProbe.ProbeException failure) {
        String where = server.toString();
        if (ErrorCode.TOO_MANY_ATTEMPTS.wireName().equals(failure.errorCode())) {
            report.failed("access", texts.get("doctor.access_wait", where),
                    problem("access_wait", host, port, ""));
        } else if (secret == null) {
            report.failed("access", texts.get("doctor.access_needed", where),
                    problem("access_needed", host, port, ""));
        } else {
            report.failed("access", texts.get("doctor.access_wrong", where),
                    problem("access_wrong", host, port, ""));
        }
    }

    private DoctorReport.Problem explain(NodeProbe.ProbeException failure, InetAddress address) {
        switch (failure.problem()) {
            case UPGRADE_REFUSED:
                return problem("not_cartero_http", host, port,
                        String.valueOf(failure.httpStatus()));
            case HELLO_REFUSED:
                return problem("hello_refused", host, port, failure.errorCode());
            case REFUSED:
                return problem("refused", host, port, "");
            default:
                return byWhatListens(failure, address);
        }
    }

    private DoctorReport.Problem byWhatListens(NodeProbe.ProbeException failure,
            InetAddress address) {
        PortSniffer.Kind kind = PortSniffer.sniff(address, port, timeout);
        if (kind == PortSniffer.Kind.REDIS) {
            return problem("is_redis", host, port, "");
        }
        if (!tls && kind == PortSniffer.Kind.TLS) {
            return problem("tls_expected", host, port, "ws://", "wss://");
        }
        if (tls && kind == PortSniffer.Kind.TLS
                && failure.problem() == NodeProbe.Problem.TLS_FAILED) {
            return problem("tls_untrusted", host, port, "ws://", "wss://");
        }
        if (tls && kind == PortSniffer.Kind.HTTP) {
            return problem("tls_not_spoken", host, port, "ws://", "wss://");
        }
        return problem("not_cartero", host, port, "");
    }
}
