package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Message;
import io.cartero.node.Guards;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code send} of a piped file to a node whose rate limit it passes: no line is lost. */
class SendRateTest {
    @Test
    void linesRefusedForTheRateAreSentAgainAndAllArriveInOrder() throws Exception {
        MemoryBroker broker = new MemoryBroker();
        Node node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0).withGuards(Guards.defaults().withLimits(4_000, 100, 100, 10, 5)));
        try {
            String lines = IntStream.rangeClosed(1, 30).mapToObj(i -> "línea " + i)
                    .collect(Collectors.joining("\n"));
            Cli sender = new Cli().input(lines);

            assertThat(sender.run("send", "-s", "ws://127.0.0.1:" + node.port(), "-n", "ana",
                    "-r", "ritmo")).isEqualTo(ExitCodes.OK);

            List<String> stored = broker.rooms().history("ritmo", Long.MAX_VALUE, 100)
                    .get(10, TimeUnit.SECONDS).stream().map(Message::text).toList();
            assertThat(stored).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 30).mapToObj(i -> "línea " + i).toList());
            assertThat(sender.err()).isEmpty();
        } finally {
            node.close();
            broker.close();
        }
    }
}
