package io.cartero.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tells what kind of program listens on a port, to explain a failed check: a Redis, a web
 * server, a TLS server, or one that says nothing. It speaks first in plain text (a Redis
 * {@code PING}, which a web server answers with an HTTP error), and if that gets no answer it
 * tries a TLS handshake. The handshake trusts any certificate: it only learns whether TLS is
 * spoken, and sends nothing over it.
 */
final class PortSniffer {
    /** What listens on a port. */
    enum Kind {
        /** A Redis: it answered {@code PING} in its protocol (maybe with an error). */
        REDIS,
        /** A web server: it answered with an HTTP status line. */
        HTTP,
        /** A TLS server: a TLS handshake completed. */
        TLS,
        /** It accepts connections but answered nothing that tells. */
        SILENT
    }

    private PortSniffer() {
    }

    /** What listens on {@code port} of {@code address}, waiting at most {@code timeout}. */
    static Kind sniff(InetAddress address, int port, Duration timeout) {
        String reply = plainReply(address, port, timeout);
        if (reply.startsWith("HTTP/")) {
            return Kind.HTTP;
        }
        if (isRedisReply(reply)) {
            return Kind.REDIS;
        }
        if (!reply.isEmpty() && (reply.charAt(0) == 0x15 || reply.charAt(0) == 0x16)) {
            return Kind.TLS;
        }
        return speaksTls(address, port, timeout) ? Kind.TLS : Kind.SILENT;
    }

    /** Whether {@code reply} is how Redis answers a command: a status or an error line. */
    static boolean isRedisReply(String reply) {
        return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")
                || reply.startsWith("-DENIED") || reply.startsWith("-ERR")
                || reply.startsWith("-WRONGPASS");
    }

    /** What the port answers to a plain {@code PING}; empty when it answers nothing. */
    private static String plainReply(InetAddress address, int port, Duration timeout) {
        try (Socket socket = Reachability.open(address, port, timeout)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return readSome(socket.getInputStream());
        } catch (IOException e) {
            return "";
        }
    }

    private static String readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[64];
        try {
            int read = in.read(buffer);
            return read <= 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return "";
        }
    }

    /** Whether a TLS handshake completes on {@code port}; failing it is the answer no. */
    static boolean speaksTls(InetAddress address, int port, Duration timeout) {
        try (Socket plain = Reachability.open(address, port, timeout);
                SSLSocket tls = (SSLSocket) trustingAnyCertificate().getSocketFactory()
                        .createSocket(plain, address.getHostAddress(), port, true)) {
            tls.startHandshake();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SSLContext trustingAnyCertificate() throws IOException {
        TrustManager anyCertificate = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // Only whether TLS is spoken matters here; nothing is sent over it.
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // As above: the certificate is not relied on.
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anyCertificate}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this Java", e);
        }
    }
}
