package io.cartero.cli;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The steps that every check of {@code cartero doctor} starts with, reported as they end:
 * looking the host up and opening a TCP connection. {@link NodeCheckup} and
 * {@link RedisCheckup} go on from there.
 */
abstract class Checkup {
    /** How many round trips are timed once connected. */
    static final int ROUND_TRIPS = 5;

    final DoctorReport report;
    final Texts texts;
    final Duration timeout;

    Checkup(DoctorReport report, Texts texts, Duration timeout) {
        this.report = report;
        this.texts = texts;
        this.timeout = timeout;
    }

    /** Runs the whole check. */
    abstract void run();

    /** What is checked, for people: the address without any password. */
    abstract String target();

    /** The address of {@code host}, or null once the failure is reported. */
    InetAddress lookUp(String host) {
        Reachability.Lookup lookup = Reachability.lookUp(host);
        if (lookup.address() == null) {
            report.failed("lookup", texts.get("doctor.lookup_failed", host),
                    problem("unknown_host", host, 0, ""));
            return null;
        }
        if (lookup.literal()) {
            report.passed("lookup", texts.get("doctor.lookup_literal", host), null);
        } else {
            report.passed("lookup", texts.get("doctor.lookup_ok", host,
                    lookup.address().getHostAddress()), lookup.took());
        }
        return lookup.address();
    }

    /**
     * Opens a TCP connection and reports how it went, except a refused one, which the caller
     * explains with what it knows.
     */
    Reachability.Attempt connect(String host, InetAddress address, int port) {
        Reachability.Attempt attempt = Reachability.connect(address, port, timeout);
        String where = address.getHostAddress();
        String to = String.valueOf(port);
        switch (attempt.result()) {
            case OPEN -> report.passed("tcp", texts.get("doctor.tcp_ok", where, to),
                    attempt.took());
            case TIMED_OUT -> report.failed("tcp", texts.get("doctor.tcp_timeout", where, to,
                    seconds()), problem("timeout", host, port, seconds()));
            case NO_ROUTE -> report.failed("tcp", texts.get("doctor.tcp_no_route", where,
                    to, attempt.detail()), problem("no_route", host, port, attempt.detail()));
            case FAILED -> report.failed("tcp", texts.get("doctor.tcp_failed", where, to,
                    attempt.detail()), problem("failed", host, port, attempt.detail()));
            case REFUSED -> {
            }
            default -> throw new IllegalStateException("unknown result " + attempt.result());
        }
        return attempt;
    }

    /** Reports a refused connection with the problem {@code id}. */
    void refused(InetAddress address, int port, DoctorReport.Problem problem) {
        report.failed("tcp", texts.get("doctor.tcp_refused", address.getHostAddress(),
                String.valueOf(port)),
                problem);
    }

    /**
     * A problem about {@code host} and {@code port}; its texts get them as {0} and {1},
     * {@code extra} as {2}, the launcher ({@code ./cartero}) as {3} and {@code more} from {4}.
     */
    static DoctorReport.Problem problem(String id, String host, int port, Object extra,
            Object... more) {
        Object[] args = new Object[4 + more.length];
        args[0] = host;
        args[1] = String.valueOf(port);
        args[2] = extra;
        args[3] = ServerCommand.launcher();
        System.arraycopy(more, 0, args, 4, more.length);
        return new DoctorReport.Problem(id, exitCode(id), args);
    }

    /** The timeout in seconds, for people. */
    String seconds() {
        double value = timeout.toMillis() / 1000.0;
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Milliseconds of {@code duration}, for texts with {@code {0,number,0.0}}. */
    static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }

    /** Nothing reached ({@link ExitCodes#UNREACHABLE}), or reached but refused. */
    private static int exitCode(String id) {
        return switch (id) {
            case "unknown_host", "refused", "refused_redis", "redis_port_mixup", "timeout",
                    "no_route", "failed" -> ExitCodes.UNREACHABLE;
            default -> ExitCodes.REFUSED;
        };
    }
}
