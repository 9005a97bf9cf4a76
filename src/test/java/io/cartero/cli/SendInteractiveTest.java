package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code send} at a terminal: the workshop's sender, with its name prompt and its words. */
class SendInteractiveTest {
    private static MemoryBroker broker;
    private static Node node;
    private static String server;

    @BeforeAll
    static void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker,
                NodeSettings.defaults().withHost("127.0.0.1").withPort(0));
        server = "ws://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void asksTheNameThenSendsEachLineUntilSalir() throws Exception {
        Cli cli = new Cli().interactive()
                .input("\nana\nhola\n\nestado\n¿me leen?\nsalir\nesto no se envía\n");

        assertThat(cli.run("--lang", "es", "send", "-s", server, "-r", "taller"))
                .isEqualTo(ExitCodes.OK);

        assertThat(cli.out()).contains("Tu nombre:", "Conectado a ws://127.0.0.1:",
                "Cada línea que escribas se envía a taller",
                "Sala taller: el último mensaje es el n.º 1; miembros: nadie.");
        assertThat(broker.rooms().history("taller", Long.MAX_VALUE, 10).get(10, TimeUnit.SECONDS))
                .extracting(Message::sender, Message::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ana", "hola"),
                        org.assertj.core.groups.Tuple.tuple("ana", "¿me leen?"));
    }

    @Test
    void showsWhatWaitsInTheQueueAndLeavesWithExit() throws Exception {
        Cli cli = new Cli().interactive().input("uno\ndos\nstatus\nexit\n");

        assertThat(cli.run("send", "-s", server, "-n", "luis", "-q", "impresora"))
                .isEqualTo(ExitCodes.OK);

        assertThat(cli.out()).contains("2 messages wait in the queue impresora.");
        assertThat(broker.queues().depth("impresora").get(10, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void printsARefusalAndGoesOn() throws Exception {
        Cli cli = new Cli().interactive().input("x".repeat(4_001) + "\nbien\n");

        assertThat(cli.run("send", "-s", server, "-n", "eva", "-r", "errores"))
                .isEqualTo(ExitCodes.OK);

        assertThat(cli.out()).contains("The message is too long");
        assertThat(broker.rooms().history("errores", Long.MAX_VALUE, 10).get(10, TimeUnit.SECONDS))
                .extracting(Message::text).containsExactly("bien");
    }

    @Test
    void asksTheNameAgainUntilItIsValid() throws Exception {
        Cli cli = new Cli().interactive().input(" \n" + "n".repeat(40) + "\nflor\nsalir\n");

        assertThat(cli.run("send", "-s", server)).isEqualTo(ExitCodes.OK);

        assertThat(cli.out()).contains("Invalid name", "Connected to");
    }
}
