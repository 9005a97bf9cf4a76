package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import io.cartero.node.TlsIdentity;
import io.cartero.tls.TestCertificates;
import io.cartero.tls.TestCertificates.Issued;
import io.cartero.tls.TestCertificates.KeyFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal programs and a node that serves wss with a certificate of its own making (for
 * 127.0.0.1 only): they check it against the JDK's trust store and {@code --ca}, refuse it
 * with a message a student can act on, skip the check only with {@code --insecure} and a
 * warning, and never fall back from wss to ws or the other way.
 */
class ClientTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    private static Issued certificate;
    private static Issued authority;
    private static MemoryBroker broker;
    private static Node node;
    private static String wss;

    @BeforeAll
    static void startNode() {
        certificate = TestCertificates.selfSigned(dir, "aula", "127.0.0.1");
        authority = TestCertificates.authority(dir, "other-ca");
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0).withTls(TlsIdentity.load(certificate.certificateFile(),
                        certificate.keyFile())));
        wss = "wss://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void withoutItsCertificateTheServerIsRefusedWithWhatToDo() {
        Cli english = new Cli();
        assertThat(english.run("send", "-s", wss, "-n", "ana", "-m", "hola"))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(english.err()).contains("The certificate of the server at " + wss
                + " is not trusted").contains("pass --ca FILE").contains("--insecure");

        Cli spanish = new Cli();
        assertThat(spanish.run("--lang", "es", "receive", "-s", wss, "-r", "general"))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(spanish.err()).contains("no es de confianza").contains("da --ca ARCHIVO");

        Cli otherAuthority = new Cli();
        assertThat(otherAuthority.run("send", "-s", wss, "-n", "ana", "-m", "hola", "--ca",
                authority.certificateFile().toString())).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(otherAuthority.err()).contains("is not trusted");
    }

    @Test
    void withItsCertificateMessagesGoThroughAndTheVariableWorksToo() throws Exception {
        String ca = certificate.certificateFile().toString();
        assertThat(new Cli().run("send", "-s", wss, "-n", "ana", "-r", "cifrada", "-m",
                "por wss", "--ca", ca)).isEqualTo(ExitCodes.OK);

        Cli reader = new Cli().env("CARTERO_CA", ca);
        CompletableFuture<Integer> reading = reader.start("receive", "-s", wss, "-r",
                "cifrada", "--history", "5");
        await().atMost(WAIT).until(() -> reader.out().contains("ana: por wss")
                || reading.isDone());
        reader.stop();
        assertThat(reading.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(reader.err())
                .isEqualTo(ExitCodes.OK);
        assertThat(reader.out()).contains("ana: por wss");
        assertThat(reader.err()).doesNotContain("WARNING");
    }

    @Test
    void aNameTheCertificateDoesNotListIsRefused() {
        Cli cli = new Cli();
        assertThat(cli.run("send", "-s", "wss://localhost:" + node.port(), "-n", "ana", "-m",
                "hola", "--ca", certificate.certificateFile().toString()))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err()).contains("is not for localhost")
                .contains("connect with a name or address that the certificate lists");
    }

    @Test
    void insecureConnectsOnlyWhenAskedAndWarnsEveryTimeInThePersonsLanguage() {
        Cli english = new Cli();
        assertThat(english.run("send", "-s", "wss://localhost:" + node.port(), "-n", "eva",
                "-m", "sin comprobar", "--insecure")).isEqualTo(ExitCodes.OK);
        assertThat(english.err()).contains("WARNING: --insecure: the server's certificate is "
                + "not checked");

        Cli spanish = new Cli();
        assertThat(spanish.run("--lang", "es", "send", "-s", wss, "-n", "eva", "-m", "otra",
                "--insecure")).isEqualTo(ExitCodes.OK);
        assertThat(spanish.err()).contains("AVISO: --insecure: no se comprueba el certificado");
    }

    @Test
    void plainWsToTheTlsPortFailsSayingToUseWss() {
        Cli cli = new Cli();
        assertThat(cli.run("send", "-s", "ws://127.0.0.1:" + node.port(), "-n", "ana", "-m",
                "hola")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err()).contains("encrypts its connections: write wss:// instead of "
                + "ws://");

        Cli spanish = new Cli();
        assertThat(spanish.run("--lang", "es", "send", "-s", "http://127.0.0.1:"
                + node.port(), "-n", "ana", "-m", "hola")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(spanish.err()).contains("cifra sus conexiones: escribe wss://");
    }

    @Test
    void aCaFileThatIsNoCertificateIsAUsageError() {
        Cli cli = new Cli();
        assertThat(cli.run("send", "-s", wss, "-n", "ana", "-m", "hola", "--ca",
                certificate.keyFile().toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains(certificate.keyFile() + " (--ca or CARTERO_CA) holds "
                + "no certificate");

        Cli missing = new Cli();
        assertThat(missing.run("send", "-s", wss, "-n", "ana", "-m", "hola", "--ca",
                dir.resolve("nada.pem").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Cannot read " + dir.resolve("nada.pem"));
    }

    @Test
    void doctorChecksTheCertificateAsTheOtherCommandsDo() {
        Cli refused = new Cli();
        assertThat(refused.run("doctor", "-s", wss)).isNotEqualTo(ExitCodes.OK);
        Cli trusted = new Cli();
        assertThat(trusted.run("doctor", "-s", wss, "--ca",
                certificate.certificateFile().toString())).as(trusted.out())
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void aCertificateSignedByAGivenAuthorityIsTrusted() throws Exception {
        Issued signed = TestCertificates.signedBy(authority, dir, "signed", KeyFormat.EC,
                "127.0.0.1");
        MemoryBroker own = new MemoryBroker();
        try (Node other = Node.start(own, own, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0).withTls(TlsIdentity.load(signed.certificateFile(),
                        signed.keyFile())))) {
            Cli cli = new Cli();
            assertThat(cli.run("send", "-s", "wss://127.0.0.1:" + other.port(), "-n", "ana",
                    "-m", "hola", "--ca", authority.certificateFile().toString()))
                    .as(cli.err()).isEqualTo(ExitCodes.OK);
        } finally {
            own.close();
        }
    }
}
