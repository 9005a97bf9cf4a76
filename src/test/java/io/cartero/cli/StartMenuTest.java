package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code cartero} with no command: the menu's choices driven by typed lines, and the whole
 * program as a person at a terminal or a script sees it.
 */
class StartMenuTest {
    private static final Set<String> WITH_DOCTOR =
            Set.of("server", "send", "receive", "chat", "redis", "demo", "doctor");
    private static final Set<String> WITHOUT_DOCTOR =
            Set.of("server", "send", "receive", "chat", "redis", "demo");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void eachChoiceGivesItsCommand() {
        assertThat(choose("1\n", WITH_DOCTOR)).containsExactly("server");
        assertThat(choose("3\n", WITH_DOCTOR)).containsExactly("demo");
        assertThat(choose("2\n192.168.1.20:8080\nana\n", WITH_DOCTOR))
                .containsExactly("chat", "--server", "192.168.1.20:8080", "--name", "ana");
        assertThat(choose("2\n\nAna María\n", WITH_DOCTOR))
                .containsExactly("chat", "--name", "Ana María");
        assertThat(choose("4\nws://10.0.0.5:8080\n", WITH_DOCTOR))
                .containsExactly("doctor", "--server", "ws://10.0.0.5:8080");
        assertThat(choose("4\n\n", WITH_DOCTOR)).containsExactly("doctor");
        assertThat(choose("5\n", WITH_DOCTOR)).isEmpty();
    }

    @Test
    void offersNoChoiceWhoseCommandIsMissing() {
        assertThat(choose("4\n", WITHOUT_DOCTOR)).isEmpty();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("  3. Take the guided tour", "  4. Quit", "Your choice (1-4): ")
                .doesNotContain("Find out why a connection does not work");
    }

    @Test
    void asksAgainUntilTheChoiceAndTheNameAreGood() {
        assertThat(choose("9\nuno\n2\n\n   \nana\n", WITH_DOCTOR))
                .containsExactly("chat", "--name", "ana");

        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown.split("Type a number from 1 to 5\\.", -1)).hasSize(3);
        assertThat(shown).contains("Invalid name: use 1 to 32 characters");
    }

    /** At a terminal, what the person types ends each question's line; here nothing does. */
    @ParameterizedTest
    @EnumSource(Language.class)
    void fitsATerminalOf80Columns(Language language) {
        Cli cli = new Cli().interactive().input("9\n2\n\n \n");
        Texts texts = Texts.of(language);

        assertThat(cli.run("--lang", language.name())).isEqualTo(ExitCodes.OK);

        String answered = cli.out();
        for (String question : List.of(texts.get("menu.choice", 4), texts.get("menu.address"),
                texts.get("prompt.name"))) {
            answered = answered.replace(question, question + "\n");
        }
        assertThat(answered.split("\\R")).hasSizeGreaterThan(12).allSatisfy(line ->
                assertThat(line.codePointCount(0, line.length())).as(line)
                        .isLessThanOrEqualTo(80));
    }

    @Test
    void quitsWhenTheInputEnds() {
        assertThat(choose("", WITH_DOCTOR)).isEmpty();
        assertThat(choose("2\n", WITH_DOCTOR)).isEmpty();
    }

    @Test
    void speaksSpanishAndShowsTheCommandsItRuns() {
        Cli cli = new Cli().interactive().input("3\nq\n");

        assertThat(cli.run("--lang", "es")).isEqualTo(ExitCodes.OK);

        assertThat(cli.out()).contains("¿Qué quieres hacer?",
                "  3. Hacer la visita guiada: lo que hace un broker, paso a paso",
                "./cartero --help los", "Esto ejecuta: ./cartero demo",
                "Paso 1 de 7: productor, broker, consumidor",
                "Saliste de la visita.");
    }

    @Test
    void joiningAChatLeavesTheRestOfTheInputToTheChat() throws Exception {
        MemoryBroker broker = new MemoryBroker();
        try (Node node = Node.start(broker, broker,
                NodeSettings.defaults().withHost("127.0.0.1").withPort(0))) {
            String server = "ws://127.0.0.1:" + node.port();
            Cli cli = new Cli().interactive().input("2\n" + server + "\nana\nhola\n/quit\n");

            assertThat(cli.run()).isEqualTo(ExitCodes.OK);

            assertThat(cli.out()).contains("This runs: ./cartero chat --server " + server
                    + " --name ana", "Connected to").doesNotContain("not sent");
            assertThat(broker.rooms().history("general", Long.MAX_VALUE, 10)
                    .get(10, TimeUnit.SECONDS))
                    .filteredOn(message -> message.kind() == Kind.CHAT)
                    .extracting(Message::sender, Message::text)
                    .containsExactly(tuple("ana", "hola"));
        } finally {
            broker.close();
        }
    }

    @Test
    void withoutATerminalItPrintsTheUsage() {
        Cli cli = new Cli();

        assertThat(cli.run()).isEqualTo(ExitCodes.USAGE);

        assertThat(cli.err()).contains("Missing the command: choose one of those below.",
                "Usage: cartero", "demo", "chat", "server");
        assertThat(cli.out()).isEmpty();
    }

    private List<String> choose(String typed, Set<String> commands) {
        CliContext context = new CliContext(
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, Map.of(), true, false, Texts.of(Language.EN),
                ZoneOffset.UTC, new StopSignal());
        return new StartMenu(context, commands).choose();
    }
}
