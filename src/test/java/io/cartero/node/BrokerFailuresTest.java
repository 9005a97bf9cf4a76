package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A broker that fails every request must not turn the node's log into one line per request:
 * the first failure of a burst is logged, the rest counted into one line per interval.
 */
class BrokerFailuresTest {
    private static final String TOKEN = "clase-de-redes-2026";

    private final Logger logger = (Logger) LoggerFactory.getLogger(BrokerFailures.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    @Test
    void logsTheFirstFailureOfABurstAndCountsTheRestIntoOneLine() {
        BrokerFailures failures = new BrokerFailures();
        for (long id = 1; id <= 1_000; id++) {
            failures.failed("c" + (id % 3), id, "Redis at redis://10.0.0.5:6379 did not answer"
                    + " in time");
        }
        assertThat(lines()).containsExactly("broker failed conn=c1 id=1 error=Redis at"
                + " redis://10.0.0.5:6379 did not answer in time");

        failures.flush();
        assertThat(lines()).hasSize(2).last().isEqualTo("broker failed 999 more request(s)"
                + " within 10 s; the latest conn=c1 id=1000 error=Redis at"
                + " redis://10.0.0.5:6379 did not answer in time");

        failures.failed("c7", 1_001L, "still away");
        failures.flush();
        assertThat(lines()).hasSize(3).last().asString()
                .startsWith("broker failed 1 more request(s)");
    }

    @Test
    void aQuietIntervalEndsTheBurstSoTheNextFailureIsLoggedInFull() {
        BrokerFailures failures = new BrokerFailures();
        failures.failed("c1", 1L, "cut off");
        failures.flush();
        failures.flush();
        assertThat(lines()).containsExactly("broker failed conn=c1 id=1 error=cut off");

        failures.failed("c2", 2L, "cut off again");
        assertThat(lines()).containsExactly("broker failed conn=c1 id=1 error=cut off",
                "broker failed conn=c2 id=2 error=cut off again");
    }

    @Test
    void aNodeCutOffItsBrokerAnswersEveryPublishAndLogsTwoLinesForFifty() {
        MemoryBroker broker = new MemoryBroker();
        Node node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0), Operator.withToken(TOKEN));
        try {
            TestClient teacher = TestClient.hello(node.port(), "profe");
            TestClient ana = TestClient.hello(node.port(), "ana");
            teacher.call(new Frame.Operate(2L, TOKEN, "cut", null, null, null, null, null, null),
                    Frame.Operated.class);
            for (long id = 10; id < 60; id++) {
                assertThat(ana.callForError(new Frame.Send(id, "plaza", "mensaje " + id, null))
                        .code()).isEqualTo("broker_unavailable");
            }
            assertThat(lines()).hasSize(1).first().asString()
                    .startsWith("broker failed conn=").contains("id=10 ");

            node.shutdown(Duration.ofSeconds(2));
        } finally {
            node.close();
            broker.close();
        }
        assertThat(lines()).hasSize(2).last().asString()
                .startsWith("broker failed 49 more request(s)").contains("id=59 ")
                .doesNotContain("mensaje");
    }

    private List<String> lines() {
        synchronized (logged.list) {
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
