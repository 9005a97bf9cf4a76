package io.cartero.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificates a client accepts from a node it reaches over {@code wss://}: those that
 * the JDK's trust store vouches for, plus those of the authorities (or self-signed
 * certificates) given, and only for the host name or address the client used. Or, by the
 * person's explicit choice, any certificate at all ({@link #insecure()}). A {@code ws://}
 * address is plain text whatever the trust: a client never turns one into the other.
 *
 * <p>A refused certificate fails the connection with an {@link UntrustedCertificateException}
 * among its causes, which says whether no trusted authority signed it, it is not for that
 * host, or it is out of date. Immutable and thread-safe.
 */
public final class ServerTrust {
    private static final ServerTrust SYSTEM = new ServerTrust(List.of(), false);

    private final List<X509Certificate> authorities;
    private final boolean insecure;
    /** Made on first use; guarded by {@code this}. */
    private HttpClient http;

    private ServerTrust(List<X509Certificate> authorities, boolean insecure) {
        this.authorities = List.copyOf(authorities);
        this.insecure = insecure;
    }

    /** The JDK's trust store alone: the authorities a browser would also trust. */
    public static ServerTrust system() {
        return SYSTEM;
    }

    /**
     * The JDK's trust store plus the certificates of {@code pemFile} (one or more
     * {@code BEGIN CERTIFICATE} blocks: an authority, or a node's self-signed certificate).
     *
     * @throws CertificateFileException if the file cannot be read or holds no certificate
     */
    public static ServerTrust withCertificates(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            read.forEach(certificate -> certificates.add((X509Certificate) certificate));
        } catch (IOException e) {
            throw new CertificateFileException(pemFile, true, e);
        } catch (CertificateException e) {
            throw new CertificateFileException(pemFile, false, e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateFileException(pemFile, false, null);
        }
        return new ServerTrust(certificates, false);
    }

    /** Accepts any certificate for any host: the traffic is encrypted but nobody is checked. */
    public static ServerTrust insecure() {
        return new ServerTrust(List.of(), true);
    }

    /** Whether this trust checks nothing. */
    public boolean isInsecure() {
        return insecure;
    }

    /** The HTTP client whose WebSockets check certificates this way; made once. */
    public synchronized HttpClient httpClient() {
        if (http == null) {
            http = HttpClient.newBuilder().sslContext(sslContext()).build();
        }
        return http;
    }

    private SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager manager = insecure ? new AnyCertificate()
                    : new Checking(trustManager(null), authorities.isEmpty() ? null
                            : trustManager(authorities));
            context.init(null, new TrustManager[] {manager}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager trustManager(List<X509Certificate> certificates)
            throws GeneralSecurityException, IOException {
        KeyStore store = null;
        if (certificates != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("given-" + i, certificates.get(i));
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** A {@code --ca} file that cannot be used. */
    public static final class CertificateFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final boolean unreadable;

        CertificateFileException(Path file, boolean unreadable, Throwable cause) {
            super((unreadable ? "cannot read " : "no certificate in ") + file, cause);
            this.file = file;
            this.unreadable = unreadable;
        }

        /** The file. */
        public Path file() {
            return file;
        }

        /** Whether it could not be read at all (else it holds no PEM certificate). */
        public boolean unreadable() {
            return unreadable;
        }
    }

    /**
     * Checks a node's certificate with the JDK's trust store, then with the given
     * certificates; when neither accepts it, says why.
     */
    private static final class Checking extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;
        /** Null when no certificate was given. */
        private final X509ExtendedTrustManager given;

        Checking(X509ExtendedTrustManager system, X509ExtendedTrustManager given) {
            this.system = system;
            this.given = given;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType,
                SSLEngine engine) throws CertificateException {
            // The JDK does not check the dates of a certificate it holds as a trust anchor,
            // which a self-signed one given with --ca is: a browser would refuse it.
            if (chain.length > 0) {
                try {
                    chain[0].checkValidity();
                } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                    throw new UntrustedCertificateException(
                            UntrustedCertificateException.Reason.OUT_OF_DATE,
                            engine == null ? null : engine.getPeerHost(), e);
                }
            }
            try {
                system.checkServerTrusted(chain, authType, engine);
                return;
            } catch (CertificateException bySystem) {
                if (given != null) {
                    try {
                        given.checkServerTrusted(chain, authType, engine);
                        return;
                    } catch (CertificateException byGiven) {
                        throw refusal(chain, authType, byGiven, engine);
                    }
                }
                throw refusal(chain, authType, bySystem, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("Cartero checks certificates on engines only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("Cartero checks certificates with the host name");
        }

        /**
         * Why a chain in date was refused: for another host, or signed by no one (dates are
         * checked before either trust manager).
         */
        private UntrustedCertificateException refusal(X509Certificate[] chain, String authType,
                CertificateException cause, SSLEngine engine) {
            String host = engine == null ? null : engine.getPeerHost();
            if (chainTrusted(system, chain, authType) || chainTrusted(given, chain, authType)) {
                return new UntrustedCertificateException(
                        UntrustedCertificateException.Reason.WRONG_HOST, host, cause);
            }
            return new UntrustedCertificateException(
                    UntrustedCertificateException.Reason.UNKNOWN_AUTHORITY, host, cause);
        }

        private static boolean chainTrusted(X509TrustManager manager, X509Certificate[] chain,
                String authType) {
            if (manager == null) {
                return false;
            }
            try {
                manager.checkServerTrusted(chain, authType);
                return true;
            } catch (CertificateException e) {
                return false;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType,
                SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }

    /** Accepts every certificate, for {@code --insecure}. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType,
                SSLEngine engine) {
            // --insecure: the person chose to check nothing, and was warned.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // As above.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // As above.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType,
                SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
