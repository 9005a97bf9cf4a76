package io.cartero.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The first two steps of every check of {@code cartero doctor}: the host's name becomes an
 * address, and a TCP connection opens to its port. Each returns what happened and how long
 * it took, never throws.
 */
final class Reachability {
    private Reachability() {
    }

    /**
     * Looking up a name.
     *
     * @param address the first address found, or null if none
     * @param literal whether the host was an address already, with nothing to look up
     */
    record Lookup(InetAddress address, boolean literal, Duration took) {
    }

    /** How a TCP connection attempt ended. */
    enum Connect { OPEN, REFUSED, TIMED_OUT, NO_ROUTE, FAILED }

    /**
     * A connection attempt.
     *
     * @param detail what the system said, for a {@link Connect#FAILED} one
     */
    record Attempt(Connect result, Duration took, String detail) {
    }

    /** Looks {@code host} up; an IP address is taken as it is. */
    static Lookup lookUp(String host) {
        String bare = host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
        boolean literal = bare.matches("[0-9.]+") || bare.contains(":");
        long start = System.nanoTime();
        try {
            InetAddress address = InetAddress.getByName(bare);
            return new Lookup(address, literal, since(start));
        } catch (UnknownHostException e) {
            return new Lookup(null, literal, since(start));
        }
    }

    /** Opens and closes a TCP connection to {@code address} and {@code port}. */
    static Attempt connect(InetAddress address, int port, Duration timeout) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            return new Attempt(Connect.OPEN, since(start), "");
        } catch (ConnectException e) {
            return new Attempt(Connect.REFUSED, since(start), describe(e));
        } catch (SocketTimeoutException e) {
            return new Attempt(Connect.TIMED_OUT, since(start), describe(e));
        } catch (NoRouteToHostException e) {
            return new Attempt(Connect.NO_ROUTE, since(start), describe(e));
        } catch (IOException e) {
            String detail = describe(e);
            Connect result = detail.contains("unreachable") ? Connect.NO_ROUTE : Connect.FAILED;
            return new Attempt(result, since(start), detail);
        }
    }

    /** A socket connected to {@code address} and {@code port}, reading with {@code timeout}. */
    static Socket open(InetAddress address, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
