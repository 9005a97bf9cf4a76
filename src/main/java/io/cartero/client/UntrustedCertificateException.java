package io.cartero.client;

import java.security.cert.CertificateException;

/**
 * A node's certificate that a {@link ServerTrust} refused, and why. It is among the causes of
 * the failure to connect, so that a person can be told what to do.
 */
public final class UntrustedCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String host;

    /** Why a certificate was refused. */
    public enum Reason {
        /** No authority the client trusts signed it (a self-signed certificate, say). */
        UNKNOWN_AUTHORITY,
        /** A trusted certificate, but for other names or addresses than the one used. */
        WRONG_HOST,
        /** Expired, or not valid yet (or this computer's clock is wrong). */
        OUT_OF_DATE
    }

    UntrustedCertificateException(Reason reason, String host, Throwable cause) {
        super("certificate refused (" + reason + ") for " + host + ": " + cause.getMessage(),
                cause);
        this.reason = reason;
        this.host = host;
    }

    /** Why it was refused. */
    public Reason reason() {
        return reason;
    }

    /** The host name or address the client connected to, or null if unknown. */
    public String host() {
        return host;
    }
}
