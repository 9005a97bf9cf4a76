package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code chat} driven through a pipe: JLine falls back to a dumb terminal, and everything
 * must still work.
 */
class ChatCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static MemoryBroker broker;
    private static Node node;
    private static String server;

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final Cli cli;

    ChatCommandTest() throws IOException {
        cli = new Cli().input(new PipedInputStream(keyboard));
    }

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

    @AfterEach
    void closeKeyboard() throws IOException {
        keyboard.close();
    }

    @Test
    void joinsSendsAndUsesItsCommands() throws Exception {
        CompletableFuture<Integer> exit = cli.start("chat", "-s", server, "-n", "eva",
                "-r", "patio");
        awaitOutput("You are now writing to patio.");

        type("hola a todos");
        awaitOutput("eva: hola a todos");
        type("/who");
        awaitOutput("In patio: eva");
        type("/join taller");
        awaitOutput("You are now writing to taller.");
        type("/rooms");
        awaitOutput("* taller: 1 person");
        type("/leave");
        awaitOutput("You left taller. You are now writing to patio.");
        type("/history 1");
        await().atMost(WAIT).until(() -> cli.out().split("eva: hola a todos", -1).length == 3);
        type("/quit");

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("* patio: 1 person");
    }

    @Test
    void showsWhatOthersSendAsItArrives() throws Exception {
        CompletableFuture<Integer> exit = cli.start("chat", "-s", server, "-n", "rosa",
                "-r", "pasillo");
        awaitOutput("You are now writing to pasillo.");

        new Cli().run("send", "-s", server, "-n", "beto", "-r", "pasillo", "-m", "hola rosa");

        awaitOutput("beto: hola rosa");
        keyboard.close();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void speaksSpanishAndKnowsTheSpanishCommands() throws Exception {
        CompletableFuture<Integer> exit = cli.start("--lang", "es", "chat", "-s", server,
                "-n", "inés");
        awaitOutput("Ahora escribes en general.");

        type("/unirse cocina");
        awaitOutput("Ahora escribes en cocina.");
        type("/quien");
        awaitOutput("En cocina: inés");
        type("/ayuda");
        awaitOutput("/unirse SALA");
        type("/historial");
        awaitOutput("inés se unió a cocina");
        type("/adios");

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void printsErrorsAndGoesOn() throws Exception {
        CompletableFuture<Integer> exit = cli.start("chat", "-s", server, "-n", "tomas",
                "-r", "aula");
        awaitOutput("You are now writing to aula.");

        type("/join Aula Magna");
        awaitOutput("Invalid room or queue name");
        type("/bailar");
        awaitOutput("Unknown command /bailar");
        type("x".repeat(5_000));
        awaitOutput("The message is too long");
        type("sigo aquí");
        awaitOutput("tomas: sigo aquí");
        type("/exit");

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void leavesWhenInputEnds() throws Exception {
        CompletableFuture<Integer> exit = cli.start("chat", "-s", server, "-n", "paz");
        awaitOutput("You are now writing to general.");

        keyboard.close();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void asksForTheNameWhenNoneIsGiven() throws Exception {
        CompletableFuture<Integer> exit = cli.start("--lang", "es", "chat", "-s", server);

        type("");
        type("  lía  ");
        awaitOutput("Conectado a ws://127.0.0.1:" + node.port() + "/ws como lía.");
        type("/adiós");

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Tu nombre:");
    }

    @Test
    void refusesANameAlreadyInUse() throws Exception {
        CompletableFuture<Integer> first = cli.start("chat", "-s", server, "-n", "ana");
        awaitOutput("You are now writing to general.");

        Cli second = new Cli().input(new PipedInputStream(new PipedOutputStream()));
        assertThat(second.run("--lang", "es", "chat", "-s", server, "-n", "ana"))
                .isEqualTo(ExitCodes.REFUSED);

        assertThat(second.err()).contains("Ese nombre ya está en uso en el servidor");
        keyboard.close();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void saysReconnectingAndBackAndSendsALineTypedMeanwhileOnce() throws Exception {
        MemoryBroker ownBroker = new MemoryBroker();
        Node ownNode = Node.start(ownBroker, ownBroker, localSettings());
        int port = ownNode.port();
        CompletableFuture<Integer> exit = cli.start("chat", "-s", "ws://127.0.0.1:" + port,
                "-n", "leo");
        awaitOutput("You are now writing to general.");

        ownNode.close();
        awaitOutput("Connection lost; reconnecting… (attempt 1");
        type("¿sigue ahí?");
        awaitOutput("Not connected: this line goes out when the connection is back.");
        Node again = Node.start(ownBroker, ownBroker, localSettings().withPort(port));
        try {
            awaitOutput("Back: connected again.");
            await().atMost(WAIT).until(() -> ownBroker.rooms()
                    .history("general", Long.MAX_VALUE, 50).get(10, TimeUnit.SECONDS).stream()
                    .filter(message -> message.text().equals("¿sigue ahí?")).count() == 1);
            keyboard.close();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        } finally {
            again.close();
            ownBroker.close();
        }
    }

    private void type(String line) {
        try {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitOutput(String text) {
        await().atMost(WAIT).until(() -> cli.out().contains(text));
    }

    private static NodeSettings localSettings() {
        return NodeSettings.defaults().withHost("127.0.0.1").withPort(0);
    }
}
