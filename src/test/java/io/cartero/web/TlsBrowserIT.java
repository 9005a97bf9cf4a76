package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.Position;
import io.cartero.broker.RoomListener;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.client.ClientOptions;
import io.cartero.client.NodeClient;
import io.cartero.client.ServerTrust;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import io.cartero.node.TlsIdentity;
import io.cartero.tls.TestCertificates;
import io.cartero.tls.TestCertificates.Issued;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page served over https by a node with a certificate of its own making, in a Chromium
 * told to trust exactly that certificate (as a person accepts it once): it connects over wss
 * from its https origin, and a terminal client that trusts the certificate through
 * {@code --ca}'s mechanism reads what it sends.
 */
@ExtendWith(NeedsChromium.class)
class TlsBrowserIT {
    @TempDir
    Path dir;

    @Test
    void thePageChatsOverWssWithATerminalClient() throws Exception {
        Issued certificate = TestCertificates.selfSigned(dir, "aula", "127.0.0.1");
        MemoryBroker broker = new MemoryBroker();
        String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(certificate.certificate().getPublicKey().getEncoded()));
        try (Node node = Node.start(broker, broker, NodeSettings.defaults()
                        .withHost("127.0.0.1").withPort(0).withTls(TlsIdentity.load(
                                certificate.certificateFile(), certificate.keyFile())));
                Browser browser = Browser.start("en", 1280, 800,
                        List.of("--ignore-certificate-errors-spki-list=" + spki));
                NodeClient terminal = NodeClient.connect(
                        List.of(URI.create("wss://127.0.0.1:" + node.port())), "carlos",
                        ClientOptions.defaults().withTrust(ServerTrust.withCertificates(
                                certificate.certificateFile())))) {
            List<Message> heard = new CopyOnWriteArrayList<>();
            terminal.rooms().subscribe("segura", Position.now(), new RoomListener() {
                @Override
                public void onMessage(Message message) {
                    heard.add(message);
                }
            }).get(10, TimeUnit.SECONDS);

            ChatPage ana = new ChatPage(browser).openFresh("https://127.0.0.1:" + node.port()
                    + "/");
            ana.enterName("ana").openRoom("segura");
            ana.send("hola por wss");

            await().atMost(ChatPage.WAIT).until(() -> heard.stream()
                    .anyMatch(m -> m.text().equals("hola por wss")));
            assertThat(heard).filteredOn(m -> m.text().equals("hola por wss"))
                    .extracting(Message::sender).containsExactly("ana");
        } finally {
            broker.close();
        }
    }
}
