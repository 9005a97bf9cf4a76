package io.cartero.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The certificate chain and private key a node serves https and wss with, read from the PEM
 * files that {@code openssl} writes: certificates ({@code BEGIN CERTIFICATE}, the node's own
 * first, then any intermediates) and an unencrypted key in PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}). Immutable.
 */
public final class TlsIdentity {
    private static final String ALIAS = "cartero";

    private final KeyStore keyStore;
    private final String password;
    private final X509Certificate certificate;

    /** Why a certificate or key file cannot be used. */
    public enum Problem {
        /** The file is missing or cannot be read. */
        UNREADABLE,
        /** The certificate file holds no PEM certificate. */
        NO_CERTIFICATE,
        /** The key file holds no PEM private key. */
        NO_KEY,
        /** The key is protected by a passphrase, which a server started unattended lacks. */
        ENCRYPTED_KEY,
        /** The key does not belong to the certificate. */
        MISMATCH
    }

    /** A certificate or key file that cannot be used, with which and why. */
    public static final class FileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final Problem problem;

        FileException(Path file, Problem problem, Throwable cause) {
            super(problem + ": " + file, cause);
            this.file = file;
            this.problem = problem;
        }

        /** The file at fault. */
        public Path file() {
            return file;
        }

        /** What is wrong with it. */
        public Problem problem() {
            return problem;
        }
    }

    private TlsIdentity(KeyStore keyStore, String password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    /**
     * Reads {@code certificateFile} and {@code keyFile} and checks that the key belongs to the
     * first certificate.
     *
     * @throws FileException naming the file at fault and the {@link Problem}
     */
    public static TlsIdentity load(Path certificateFile, Path keyFile) {
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new FileException(keyFile, Problem.MISMATCH, null);
        }
        String password = randomPassword();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(),
                    chain.toArray(new Certificate[0]));
            return new TlsIdentity(store, password, chain.get(0));
        } catch (GeneralSecurityException | IOException e) {
            throw new FileException(keyFile, Problem.MISMATCH, e);
        }
    }

    /** The key and its chain, in a key store of their own. */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()} and of its key, made up for this process. */
    String password() {
        return password;
    }

    /** The node's own certificate: the first of the chain. */
    public X509Certificate certificate() {
        return certificate;
    }

    private static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = parser(file)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new FileException(file, Files.isReadable(file) ? Problem.NO_CERTIFICATE
                    : Problem.UNREADABLE, e);
        } catch (GeneralSecurityException e) {
            throw new FileException(file, Problem.NO_CERTIFICATE, e);
        }
        if (chain.isEmpty()) {
            throw new FileException(file, Problem.NO_CERTIFICATE, null);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = parser(file)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMEncryptedKeyPair
                        || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new FileException(file, Problem.ENCRYPTED_KEY, null);
                }
            }
        } catch (IOException e) {
            throw new FileException(file, Files.isReadable(file) ? Problem.NO_KEY
                    : Problem.UNREADABLE, e);
        }
        throw new FileException(file, Problem.NO_KEY, null);
    }

    private static PEMParser parser(Path file) throws IOException {
        Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        return new PEMParser(reader);
    }

    /** Whether {@code key} signs what {@code publicKey} verifies. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] sample = new byte[32];
        new SecureRandom().nextBytes(sample);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(sample);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(sample);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
