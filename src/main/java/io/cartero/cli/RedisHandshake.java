package io.cartero.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Commands to a Redis over one socket in its protocol (RESP), for {@code cartero doctor}:
 * {@code PING}, {@code AUTH}, {@code INFO}. A diagnosis needs what Redis literally answers,
 * which a client library turns into its own exceptions or hides: protected mode's
 * {@code -DENIED} comes before any command, and a TLS server spoken to in plain text, or
 * something that is not Redis at all, must be told apart from a slow Redis. Cartero itself
 * talks to Redis with Lettuce.
 */
final class RedisHandshake implements Closeable {
    private static final int MAX_BULK = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * One reply.
     *
     * @param error whether Redis answered with an error ({@code -ERR ...})
     * @param text the reply's text: a status, an error, a bulk string or a number
     */
    record Reply(boolean error, String text) {
        /** Whether this is an error whose code (its first word) is {@code code}. */
        boolean isError(String code) {
            return error && (text.equals(code) || text.startsWith(code + " "));
        }
    }

    /** The peer does not speak RESP; {@link #getMessage()} holds the first bytes it sent. */
    static final class NotRedisException extends IOException {
        private static final long serialVersionUID = 1L;

        NotRedisException(String start) {
            super(start);
        }
    }

    RedisHandshake(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Sends {@code args} as one command and reads its reply. */
    Reply command(String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(bytes);
            request.write('\r');
            request.write('\n');
        }
        out.write(request.toByteArray());
        out.flush();
        return read();
    }

    /** Reads one reply; an array's elements are joined with line breaks. */
    private Reply read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed by the peer");
        }
        String line = line();
        switch (type) {
            case '+':
            case ':':
                return new Reply(false, line);
            case '-':
                return new Reply(true, line);
            case '$':
                return new Reply(false, bulk(parseLength(type, line)));
            case '*':
                return array(parseLength(type, line));
            default:
                throw new NotRedisException((char) type + line);
        }
    }

    private Reply array(int count) throws IOException {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < count; i++) {
            joined.append(i == 0 ? "" : "\n").append(read().text());
        }
        return new Reply(false, joined.toString());
    }

    private String bulk(int length) throws IOException {
        if (length < 0) {
            return "";
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length < length + 2) {
            throw new IOException("connection closed in the middle of a reply");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static int parseLength(int type, String line) throws NotRedisException {
        try {
            int length = Integer.parseInt(line);
            if (length > MAX_BULK) {
                throw new NotRedisException((char) type + line);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new NotRedisException((char) type + line);
        }
    }

    /** The rest of the line, without its CR LF; at most 4 KiB. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() > 4096) {
                String start = line.toString(StandardCharsets.ISO_8859_1);
                throw b < 0 ? new IOException("connection closed in the middle of a reply")
                        : new NotRedisException(start);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
