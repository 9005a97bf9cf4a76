package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.broker.redis.TestRedis;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What other people write reaches the terminal programs as visible text, never as commands to
 * the terminal: escape sequences, C1 controls, bells, carriage returns and bidirectional
 * controls in texts and names, through a node and straight from a workshop list on Redis. The
 * checks read the exact bytes written.
 */
class HostileTextTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger ROOMS = new AtomicInteger();
    /** Clear screen, clipboard write (OSC 52), title, hidden link (OSC 8), C1 CSI, bells. */
    private static final String HOSTILE = "hola\u001b[2J\u001b]52;c;aGk=\u0007"
            + "\u001b]0;pwned\u001b\\\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\"
            + "\u009b31m\u0007\u0007\u0007\rfalso\u202Eevil\u202C\u2067iso\u2069\u0085fin";
    private static final String SHOWN = "hola\\u001B[2J\\u001B]52;c;aGk=\\u0007"
            + "\\u001B]0;pwned\\u001B\\\\u001B]8;;http://evil.example\\u001B\\link\\u001B]8;;"
            + "\\u001B\\\\u009B31m\\u0007\\u0007\\u0007\\u000Dfalso\\u202Eevil\\u202C\\u2067iso"
            + "\\u2069\\u0085fin";

    private static MemoryBroker broker;
    private static Node node;
    private static String server;

    @BeforeAll
    static void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
        server = "ws://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopNode() {
        node.close();
        broker.close();
    }

    @Test
    void receiveShowsEscapeSequencesAsVisibleText() throws Exception {
        String room = newRoom();
        send(room, HOSTILE);

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "-s", server, "-r", room,
                "--history", "10");
        await().atMost(WAIT).until(() -> receiver.out().contains("fin"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.out()).endsWith("ana: " + SHOWN + System.lineSeparator());
        assertObeysNothing(receiver.outBytes(), "\n");
    }

    @Test
    void receiveJsonKeepsTheTextButWritesNoControlRaw() throws Exception {
        String room = newRoom();
        send(room, HOSTILE);

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "-s", server, "-r", room,
                "--history", "10", "--json");
        await().atMost(WAIT).until(() -> receiver.out().contains("fin"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertObeysNothing(receiver.outBytes(), "\n");
        String line = receiver.out().lines().findFirst().orElseThrow();
        assertThat(new ObjectMapper().readTree(line).get("text").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void chatShowsWhatOthersSendAsVisibleText() throws Exception {
        String room = newRoom();
        PipedOutputStream keyboard = new PipedOutputStream();
        Cli chat = new Cli().input(new PipedInputStream(keyboard));
        CompletableFuture<Integer> exit = chat.start("chat", "-s", server, "-n", "rosa",
                "-r", room);
        await().atMost(WAIT).until(() -> chat.out().contains("You are now writing to"));

        send(room, HOSTILE);
        await().atMost(WAIT).until(() -> chat.out().contains("fin"));
        keyboard.close();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(chat.out()).contains("ana: " + SHOWN);
        // The line editor itself returns the carriage to redraw its prompt below each line.
        assertObeysNothing(chat.outBytes(), "\n\r");
    }

    @Test
    void aWorkshopEntryWithHostileNameAndTextIsShownVisibly() throws Exception {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> python = client.connect()) {
            python.sync().del("chat_simple");
            python.sync().lpush("chat_simple", "{\"usuario\": \"ana\\u001b[8m\\u202e\", "
                    + "\"mensaje\": \"\\u009d0;x\\u0007\", \"tiempo\": \"10:42:07\", "
                    + "\"ip_origen\": \"10.0.0.7\\u001b[2J\"}");
        } finally {
            client.shutdown();
        }

        Cli receiver = new Cli();
        CompletableFuture<Integer> exit = receiver.start("receive", "--broker", REDIS.url(),
                "--queue", "chat_simple");
        await().atMost(WAIT).until(() -> receiver.out().contains("\\u0007"));
        receiver.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(receiver.out()).contains(
                " ana\\u001B[8m\\u202E (10.0.0.7\\u001B[2J): \\u009D0;x\\u0007");
        assertObeysNothing(receiver.outBytes(), "\n");
    }

    private static void send(String room, String text) {
        assertThat(new Cli().run("send", "-s", server, "-n", "ana", "-r", room, "-m", text))
                .isEqualTo(ExitCodes.OK);
    }

    /**
     * The output is valid UTF-8 and holds no character a terminal acts on but those the program
     * writes itself ({@code allowed}): no other C0 control, DEL, C1 control, bidirectional
     * control, or line or paragraph separator.
     */
    private static void assertObeysNothing(byte[] written, String allowed)
            throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(written)).toString();
        String bidiAndSeparators = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E"
                + "\u2066\u2067\u2068\u2069\u2028\u2029";
        assertThat(text.codePoints().filter(c -> allowed.indexOf(c) < 0
                && (c < 0x20 || (c >= 0x7F && c < 0xA0) || bidiAndSeparators.indexOf(c) >= 0)))
                .as("characters a terminal would act on").isEmpty();
        assertThat(written).doesNotContain((byte) 0x1b, (byte) 0x07);
    }

    private static String newRoom() {
        return "hostil-" + ROOMS.incrementAndGet();
    }

}
