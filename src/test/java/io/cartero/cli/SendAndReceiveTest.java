package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.Publish;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code send} and {@code receive} against a real node with a memory broker, in-process. */
class SendAndReceiveTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private static MemoryBroker broker;
    private static Node node;
    private static String server;

    @BeforeAll
    static void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, localSettings());
        server = "ws://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void receiveWithHistoryShowsWhatSendSentThenStopsWithItsCount() throws Exception {
        String room = newRoom();
        assertThat(new Cli().run("send", "--server", server, "--name", "ana", "--room", room,
                "-m", "hola")).isEqualTo(ExitCodes.OK);

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "--server", server,
                "--room", room, "--history", "10");
        await().atMost(WAIT).until(() -> receiver.out().contains("ana: hola"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.out()).matches("(?s)\\[\\d\\d:\\d\\d:\\d\\d] ana: hola\\R");
        assertThat(receiver.err()).contains("1 message received.");
    }

    @Test
    void sendsOneMessagePerLineOfAPipeAndSkipsBlankOnes() throws Exception {
        String room = newRoom();

        Cli sender = new Cli().input("uno\n\n   \ndos\r\ntres");
        assertThat(sender.run("send", "-s", server, "-n", "ana", "-r", room))
                .isEqualTo(ExitCodes.OK);

        assertThat(sender.out()).isEmpty();
        assertThat(sender.err()).isEmpty();
        assertThat(texts(room, 10)).containsExactly("uno", "dos", "tres");
    }

    @Test
    void reportsARefusedLineByNumberAndSendsTheOthers() throws Exception {
        String room = newRoom();
        String tooLong = "x".repeat(5_000);

        Cli sender = new Cli().input("uno\n" + tooLong + "\ntres\n");
        assertThat(sender.run("send", "-s", server, "-n", "ana", "-r", room))
                .isEqualTo(ExitCodes.REFUSED);

        assertThat(sender.err()).contains("line 2: The message is too long");
        assertThat(texts(room, 10)).containsExactly("uno", "tres");
    }

    @Test
    void followsARoomLiveAndPrintsJsonWhenAsked() throws Exception {
        String room = newRoom();
        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "-s", server, "-r", room,
                "--history", "0", "--json");

        await().atMost(WAIT).untilAsserted(() -> {
            new Cli().run("send", "-s", server, "-n", "luis", "-r", room, "-m", "¿llega?");
            assertThat(receiver.out()).contains("¿llega?");
        });
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        JsonNode first = new ObjectMapper().readTree(receiver.out().lines().findFirst().get());
        assertThat(first.get("room").asText()).isEqualTo(room);
        assertThat(first.get("sender").asText()).isEqualTo("luis");
        assertThat(first.get("text").asText()).isEqualTo("¿llega?");
        assertThat(first.get("kind").asText()).isEqualTo("chat");
        assertThat(first.get("offset").asLong()).isPositive();
        assertThat(first.has("epoch")).isTrue();
        assertThat(first.has("sent_at")).isTrue();
        assertThat(receiver.err()).doesNotContain("{");
    }

    @Test
    void receivesFromAQueueWhatWasSentToIt() throws Exception {
        String queue = newRoom();
        new Cli().input("primero\nsegundo\n").run("send", "-s", server, "-n", "ana", "-q", queue);

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "-s", server, "-q", queue);
        await().atMost(WAIT).until(() -> receiver.out().lines().count() == 2);
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.out().lines())
                .satisfiesExactly(
                        line -> assertThat(line).endsWith("] ana: primero"),
                        line -> assertThat(line).endsWith("] ana: segundo"));
        assertThat(receiver.err()).contains("2 messages received.");
        assertThat(broker.queues().depth(queue).get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void refusesAnInvalidRoomInTheUsersLanguage() {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "send", "-s", server, "-n", "ana", "-r", "Sala Uno",
                "-m", "hola")).isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err()).contains("Nombre de sala o de cola no válido");
    }

    @Test
    void refusesAnEmptyMessage() {
        Cli cli = new Cli();

        assertThat(cli.run("send", "-s", server, "-n", "ana", "-m", ""))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err()).contains("The message is empty");
    }

    @Test
    void refusesAHundredThousandCharacterMessageWithoutAskingTheServer() throws IOException {
        Cli cli = new Cli();

        assertThat(cli.run("--lang", "es", "send", "-s", "127.0.0.1:" + closedPort(), "-n", "ana",
                "-m", "x".repeat(100_000))).isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err()).contains("El mensaje es demasiado largo");
    }

    @Test
    void saysWhenNothingCameThroughThePipe() {
        Cli cli = new Cli().input("\n\n");

        assertThat(cli.run("send", "-s", server, "-n", "ana")).isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err()).contains("Nothing to send");
    }

    @Test
    void exitsWith3WhenTheServerCannotBeReached() throws IOException {
        int port = closedPort();
        Cli sender = new Cli();
        Cli receiver = new Cli();

        assertThat(sender.run("send", "-s", "127.0.0.1:" + port, "-n", "ana", "-m", "hola"))
                .isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(receiver.run("--lang", "es", "receive", "-s", "127.0.0.1:" + port))
                .isEqualTo(ExitCodes.UNREACHABLE);

        assertThat(sender.err()).contains("Cannot reach the server at ws://127.0.0.1:" + port,
                "connection refused", "./cartero server");
        assertThat(receiver.err()).contains("No se puede conectar con el servidor");
    }

    @Test
    void refusesANameAlreadyInUse() throws Exception {
        Cli chat = new Cli().input(new PipedInputStream(new PipedOutputStream()));
        CompletableFuture<Integer> first = chat.start("chat", "-s", server, "-n", "marta");
        await().atMost(WAIT).until(() -> chat.out().contains("marta"));

        Cli second = new Cli();
        assertThat(second.run("send", "-s", server, "-n", "marta", "-m", "soy yo"))
                .isEqualTo(ExitCodes.REFUSED);
        assertThat(second.err()).contains("That name is already in use");
        chat.stop();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void receiversSayReconnectingAndBackInSpanishAndGoOn() throws Exception {
        MemoryBroker ownBroker = new MemoryBroker();
        Node ownNode = Node.start(ownBroker, ownBroker, localSettings());
        int port = ownNode.port();
        Cli roomReceiver = new Cli();
        Cli queueReceiver = new Cli();
        String url = "ws://127.0.0.1:" + port;
        roomReceiver.start("--lang", "es", "receive", "-s", url);
        queueReceiver.start("--lang", "es", "receive", "-s", url, "-q", "q");
        await().atMost(WAIT).untilAsserted(() -> {
            ownBroker.rooms().publish(Publish.chat("general", "ana", "antes"));
            assertThat(roomReceiver.out()).contains("ana: antes");
        });

        ownNode.close();
        await().atMost(WAIT).until(() -> roomReceiver.err().contains("reconectando… (intento 1")
                && queueReceiver.err().contains("reconectando"));
        Node again = Node.start(ownBroker, ownBroker, localSettings().withPort(port));
        try {
            await().atMost(WAIT).until(() -> roomReceiver.err().contains("De vuelta")
                    && queueReceiver.err().contains("De vuelta"));
            ownBroker.rooms().publish(Publish.chat("general", "ana", "después"));
            ownBroker.queues().push("q", "ana", "cola");
            await().atMost(WAIT).until(() -> roomReceiver.out().contains("ana: después")
                    && queueReceiver.out().contains("ana: cola"));
            assertThat(roomReceiver.out()).containsOnlyOnce("ana: después");
        } finally {
            again.close();
            ownBroker.close();
        }
    }

    private static List<String> texts(String room, int count) throws Exception {
        return broker.rooms().history(room, Long.MAX_VALUE, count).get(10, TimeUnit.SECONDS)
                .stream()
                .filter(message -> message.kind() == Kind.CHAT)
                .map(Message::text)
                .collect(Collectors.toList());
    }

    private static NodeSettings localSettings() {
        return NodeSettings.defaults().withHost("127.0.0.1").withPort(0);
    }

    private static String newRoom() {
        return "room-" + ROOMS.incrementAndGet();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
