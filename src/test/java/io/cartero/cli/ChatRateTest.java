package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.node.Guards;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code chat} given lines faster than the node's rate limit lets in (a paste, or a pipe): the
 * lines refused with {@code rate_limited} are sent again after a pause, so every typed line is
 * stored once, in the order typed, and the person never sees a refusal.
 */
class ChatRateTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LINES = 30;

    @Test
    void linesRefusedForTheRateAreSentAgainOnceEachInOrder() throws Exception {
        MemoryBroker broker = new MemoryBroker();
        Node node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0).withGuards(Guards.defaults().withLimits(4_000, 100, 100, 10, 5)));
        PipedOutputStream keyboard = new PipedOutputStream();
        Cli cli = new Cli().input(new PipedInputStream(keyboard));
        List<String> typed = IntStream.rangeClosed(1, LINES).mapToObj(i -> "línea " + i)
                .toList();
        try {
            CompletableFuture<Integer> exit = cli.start("chat", "-s", "ws://127.0.0.1:"
                    + node.port(), "-n", "ana", "-r", "ritmo");
            await().atMost(WAIT).until(() -> cli.out().contains("writing to ritmo"));

            keyboard.write((typed.stream().collect(Collectors.joining("\n")) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            await().atMost(WAIT).until(() -> cli.out().contains("ana: línea " + LINES));
            keyboard.write("/quit\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();

            assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
            List<String> stored = broker.rooms().history("ritmo", Long.MAX_VALUE, 100)
                    .get(10, TimeUnit.SECONDS).stream()
                    .filter(message -> message.kind() == Kind.CHAT)
                    .map(Message::text).toList();
            assertThat(stored).containsExactlyElementsOf(typed);
            assertThat(cli.out()).doesNotContain("too fast").doesNotContain("not sent");
        } finally {
            keyboard.close();
            node.close();
            broker.close();
        }
    }
}
