package io.cartero.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket connection of the load generator, opened with a plain HTTP/1.1 upgrade and
 * then handed to a {@link SocketLoop}, which reads and writes it without blocking. It holds
 * only what the loop needs between two reads: the bytes of a frame cut short, and bytes the
 * socket would not take yet. Owned by its loop's thread once registered.
 */
final class RawWebSocket {
    /** What the connection does in the run. */
    enum Role {
        SUBSCRIBER, PUBLISHER, IDLE
    }

    private static final String ACCEPT_SUFFIX = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    final Role role;
    final SocketChannel channel;
    final String where;
    /** The subscriber's ledger, or null. */
    final SequenceLedger ledger;
    /** The publisher's ledger, or null. */
    final PublishLedger publisher;
    /** The start of a publisher's send frame, up to its id. */
    final byte[] sendPrefix;
    /** The user name a publisher says hello with, or null. */
    final String name;
    SelectionKey key;
    /** Bytes of a frame that arrived cut short, waiting for the rest; null until needed. */
    ByteBuffer partial;
    /** Bytes the socket did not take yet, in write mode; null until needed. */
    ByteBuffer unsent;
    /** A fragmented message being put together; null until needed. */
    ByteBuffer fragments;
    /** Whether the node welcomed the connection's hello. */
    boolean helloDone;
    /** Whether the connection finished its hello (and join, for a subscriber). */
    boolean ready;
    /** The close code the node sent, 1006 if the socket ended without one; 0 while open. */
    int closeCode;
    /** The error that the node answered to hello or join, or null. */
    String setupError;
    /** When a publisher's next message is due, in nanoseconds since the run began. */
    long nextDue;
    /** Whether a publisher in max mode waits for its last acknowledgement. */
    boolean awaitingAck;
    /** Whether a publisher has sent all its messages. */
    boolean done;

    private RawWebSocket(Role role, SocketChannel channel, String where, SequenceLedger ledger,
            PublishLedger publisher, String name) {
        this.role = role;
        this.channel = channel;
        this.where = where;
        this.ledger = ledger;
        this.publisher = publisher;
        this.name = name;
        this.sendPrefix = publisher == null ? null
                : ("{\"type\":\"send\",\"room\":\"" + BenchPlan.room(publisher.room())
                        + "\",\"id\":").getBytes(StandardCharsets.US_ASCII);
    }

    /** A subscriber of the room of {@code ledger}. */
    static RawWebSocket subscriber(URI uri, SequenceLedger ledger, Duration timeout)
            throws IOException {
        return open(uri, Role.SUBSCRIBER, ledger, null, null, timeout);
    }

    /** A publisher that says hello as {@code name}. */
    static RawWebSocket publisher(URI uri, PublishLedger ledger, String name, Duration timeout)
            throws IOException {
        return open(uri, Role.PUBLISHER, null, ledger, name, timeout);
    }

    /** A connection that only says hello. */
    static RawWebSocket idle(URI uri, Duration timeout) throws IOException {
        return open(uri, Role.IDLE, null, null, null, timeout);
    }

    private static RawWebSocket open(URI uri, Role role, SequenceLedger ledger,
            PublishLedger publisher, String name, Duration timeout) throws IOException {
        if (!"ws".equals(uri.getScheme())) {
            throw new IOException("the load generator speaks ws:// only, not " + uri);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(uri.getHost(), port),
                    (int) timeout.toMillis());
            channel.socket().setSoTimeout((int) timeout.toMillis());
            RawWebSocket socket = new RawWebSocket(role, channel, uri.toString(), ledger,
                    publisher, name);
            socket.upgrade(uri, port);
            channel.configureBlocking(false);
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void upgrade(URI uri, int port) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/ws"
                : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        OutputStream out = channel.socket().getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readHeader(channel.socket().getInputStream());
        String status = response.lines().findFirst().orElse("");
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("no WebSocket at " + uri + ": " + status);
        }
        String accept = header(response, "sec-websocket-accept");
        if (!expectedAccept(key).equals(accept)) {
            throw new IOException("bad WebSocket handshake from " + uri);
        }
    }

    /** Reads the response header byte by byte, so that nothing after it is consumed. */
    private String readHeader(InputStream in) throws IOException {
        StringBuilder header = new StringBuilder();
        while (header.length() < MAX_HEADER_BYTES) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the WebSocket handshake");
            }
            header.append((char) b);
            int n = header.length();
            if (n >= 4 && header.charAt(n - 1) == '\n' && header.charAt(n - 2) == '\r'
                    && header.charAt(n - 3) == '\n' && header.charAt(n - 4) == '\r') {
                return header.toString();
            }
        }
        throw new IOException("WebSocket handshake response too long");
    }

    private static String header(String response, String name) {
        return response.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).strip())
                .findFirst().orElse("");
    }

    private static String expectedAccept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + ACCEPT_SUFFIX).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this Java", e);
        }
    }

    /** Whether the connection was closed by the node or ended. */
    boolean closed() {
        return closeCode != 0;
    }
}
