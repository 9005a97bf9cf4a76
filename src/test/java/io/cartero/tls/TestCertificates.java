package io.cartero.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in the test, as {@code openssl} makes them, written as PEM files: a
 * self-signed one, or one signed by a certificate authority of the test's own.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Used only to make test keys as openssl writes them: its EC keys carry their curve and
     * public point, and it encrypts PKCS#8 with AES. Never registered as a provider.
     */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** A certificate, its key and the PEM files that hold them. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path certificateFile,
            Path keyFile) {
        /** A TLS context that trusts this certificate alone. */
        public SSLContext trustingOnlyThis() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("test", certificate);
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {
    }

    /** An RSA certificate that signed itself, for {@code names} (IP addresses or DNS names). */
    public static Issued selfSigned(Path dir, String prefix, String... names) {
        KeyPair keys = rsa();
        X509Certificate certificate = sign(subject(prefix), keys, subject(prefix), keys, false,
                names);
        return write(dir, prefix, certificate, keys, KeyFormat.PKCS8);
    }

    /**
     * An RSA certificate that signed itself, for {@code names}, valid only between
     * {@code from} and {@code until}: in the past for an expired one, in the future for one
     * not valid yet.
     */
    public static Issued selfSignedValid(Path dir, String prefix, Instant from, Instant until,
            String... names) {
        KeyPair keys = rsa();
        X509Certificate certificate = sign(subject(prefix), keys, subject(prefix), keys, false,
                from, until, names);
        return write(dir, prefix, certificate, keys, KeyFormat.PKCS8);
    }

    /** A certificate authority that signed itself. */
    public static Issued authority(Path dir, String prefix) {
        KeyPair keys = rsa();
        X509Certificate certificate = sign(subject(prefix), keys, subject(prefix), keys, true);
        return write(dir, prefix, certificate, keys, KeyFormat.PKCS8);
    }

    /** A certificate for {@code names} signed by {@code authority}, its key in {@code format}. */
    public static Issued signedBy(Issued authority, Path dir, String prefix, KeyFormat format,
            String... names) {
        KeyPair keys = format == KeyFormat.EC ? ec() : rsa();
        X500Name issuer = X500Name.getInstance(
                authority.certificate().getSubjectX500Principal().getEncoded());
        X509Certificate certificate = sign(subject(prefix), keys, issuer, authority.keys(),
                false, names);
        return write(dir, prefix, certificate, keys, format);
    }

    /** How the key file is written. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY}, as {@code openssl req -newkey} writes it. */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY}, as {@code openssl genrsa -traditional} writes it. */
        PKCS1,
        /** {@code BEGIN EC PRIVATE KEY}, as {@code openssl ecparam -genkey} writes it. */
        EC,
        /** {@code BEGIN ENCRYPTED PRIVATE KEY}, with a passphrase. */
        ENCRYPTED
    }

    private static X500Name subject(String name) {
        return new X500Name("CN=" + name + ",O=Cartero tests");
    }

    private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer,
            KeyPair issuerKeys, boolean authority, String... names) {
        Instant now = Instant.now();
        return sign(subject, keys, issuer, issuerKeys, authority,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), names);
    }

    private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer,
            KeyPair issuerKeys, boolean authority, Instant from, Instant until,
            String... names) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM), Date.from(from), Date.from(until), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true,
                    new BasicConstraints(authority));
            if (names.length > 0) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String name : names) {
                    boolean ip = name.matches("[0-9.]+") || name.contains(":");
                    alternatives.add(new GeneralName(ip ? GeneralName.iPAddress
                            : GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(new GeneralName[0])));
            }
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("EC")
                    ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm)
                    .build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued write(Path dir, String prefix, X509Certificate certificate,
            KeyPair keys, KeyFormat format) {
        Path certificateFile = dir.resolve(prefix + "-cert.pem");
        Path keyFile = dir.resolve(prefix + "-key.pem");
        try {
            writePem(certificateFile, new JcaMiscPEMGenerator(certificate).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writePem(keyFile, keyPem(keys, format));
        return new Issued(certificate, keys, certificateFile, keyFile);
    }

    private static PemObject keyPem(KeyPair keys, KeyFormat format) {
        try {
            return switch (format) {
                case PKCS8 -> new JcaPKCS8Generator(keys.getPrivate(), null).generate();
                case ENCRYPTED -> new JcaPKCS8Generator(keys.getPrivate(),
                        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                .setProvider(BC).setPassword("secreto".toCharArray())
                                .build()).generate();
                case PKCS1, EC -> new JcaMiscPEMGenerator(keys.getPrivate()).generate();
            };
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, PemObject pem) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
