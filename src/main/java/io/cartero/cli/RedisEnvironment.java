package io.cartero.cli;

import io.cartero.broker.redis.RedisBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the environment adds to a Redis address: {@code CARTERO_REDIS_PASSWORD}, the password
 * of an address that holds none (with the user the address names, if any), and
 * {@code CARTERO_REDIS_CA}, the PEM file of the authority that signed the certificate of a
 * {@code rediss://} Redis. The password is never part of {@link #toString()}.
 *
 * @param password the password, or {@code null}
 * @param certificates the authority's PEM file, or {@code null} for the JDK's trust store
 */
record RedisEnvironment(String password, Path certificates) {
    /** The variable that holds the password. */
    static final String PASSWORD = "CARTERO_REDIS_PASSWORD";
    /** The variable that names the authority's certificate file. */
    static final String CA = "CARTERO_REDIS_CA";
    /** Nothing from the environment. */
    static final RedisEnvironment NONE = new RedisEnvironment(null, null);

    /** What {@code environment} says. */
    static RedisEnvironment of(Map<String, String> environment) {
        String password = environment.get(PASSWORD);
        String ca = environment.get(CA);
        return new RedisEnvironment(password == null || password.isEmpty() ? null : password,
                ca == null || ca.isBlank() ? null : Path.of(ca.strip()));
    }

    /**
     * {@code url} with the password of the environment when it holds none; as it is otherwise.
     * A user without a password ({@code redis://cartero@host}) keeps its name.
     */
    String url(String url) {
        if (password == null) {
            return url;
        }
        String text = url.strip();
        try {
            URI uri = new URI(text);
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null && userInfo.contains(":")) {
                return url;
            }
            int schemeEnd = text.indexOf("://") + 3;
            int at = text.lastIndexOf('@');
            String rest = at > schemeEnd ? text.substring(at + 1) : text.substring(schemeEnd);
            String user = userInfo == null ? "" : userInfo;
            return text.substring(0, schemeEnd) + user + ":" + encoded(password) + "@" + rest;
        } catch (URISyntaxException e) {
            return url;
        }
    }

    /** {@code base} trusting the certificates of {@code CARTERO_REDIS_CA}, when set. */
    RedisBroker.Settings settings(RedisBroker.Settings base) {
        return certificates == null ? base : base.withTrustedCertificates(certificates);
    }

    /**
     * Sockets that trust the authority of {@code CARTERO_REDIS_CA}, or the JDK's trust store
     * when it is not set.
     *
     * @throws CommandException with {@link ExitCodes#USAGE} if that file cannot be used
     */
    SSLSocketFactory socketFactory() {
        if (certificates == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try (InputStream in = Files.newInputStream(certificates)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new CommandException(ExitCodes.USAGE, e, "error.usage.redis_ca",
                    certificates.toString());
        }
    }

    /** The variables, the password hidden. */
    @Override
    public String toString() {
        return "RedisEnvironment[password=" + (password == null ? "none" : "set")
                + ", certificates=" + certificates + "]";
    }

    /** {@code text} with every character a URL's user info cannot hold percent-encoded. */
    private static String encoded(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }
}
