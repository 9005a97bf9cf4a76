package io.cartero.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A known number of messages through a memory broker, straight and through a real node on a
 * random port, gives exact counts: every publisher's messages reach every subscriber of its
 * room once, and the figures add up.
 */
class LoadCountTest {
    /** Long enough never to end a run before its messages are all sent. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private MemoryBroker broker;
    private Node node;

    @BeforeEach
    void start() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterEach
    void stop() {
        node.close();
        broker.close();
    }

    @Test
    void everyMessageReachesEverySubscriberThroughANode() throws Exception {
        BenchPlan plan = new BenchPlan(4, 3, 2_000, BOUND, Duration.ZERO, 100, 1, 200, 2, 2);

        BenchResult result = NodeLoad.run(List.of(nodeUri()), plan);

        assertExact(result, 3 * 200, 3 * 200 * 4);
        assertThat(result.closedByNode()).isEmpty();
        assertThat(result.idleConnections()).isEqualTo(2);
        assertThat(result.latency().count()).isPositive();
        assertThat(result.nodeCpuMicrosPerDelivery()).isPositive();
        assertThat(result.nodePeakHeapBytes()).isPositive();
    }

    @Test
    void roomsGetOnlyTheirPublishersAtMaxRate() throws Exception {
        BenchPlan plan = new BenchPlan(6, 4, 0, BOUND, Duration.ZERO, 50, 2, 150, 0, 1);

        BenchResult result = NodeLoad.run(List.of(nodeUri()), plan);

        // Two publishers and three subscribers per room.
        assertExact(result, 4 * 150, 2 * (2 * 150 * 3));
        assertThat(result.ackLatency().count()).isEqualTo(4 * 150);
    }

    @Test
    void everyMessageReachesEverySubscriberStraightOnTheBroker() throws Exception {
        BenchPlan plan = new BenchPlan(5, 3, 3_000, BOUND, Duration.ZERO, 100, 1, 300, 0, 1);

        BenchResult result = BrokerLoad.run(broker, plan);

        assertExact(result, 3 * 300, 3 * 300 * 5);
        assertThat(result.target()).isEqualTo("memory");
    }

    @Test
    void maxRateStraightOnTheBrokerCountsExactly() throws Exception {
        BenchPlan plan = new BenchPlan(3, 2, 0, BOUND, Duration.ZERO, 20, 1, 500, 0, 1);

        BenchResult result = BrokerLoad.run(broker, plan);

        assertExact(result, 2 * 500, 2 * 500 * 3);
    }

    @Test
    void anAddressWithNoWebSocketFailsTheRunAndSaysSo() {
        BenchPlan plan = new BenchPlan(1, 1, 100, BOUND, Duration.ZERO, 100, 1, 1, 0, 1);
        URI nowhere = URI.create("ws://127.0.0.1:" + node.port() + "/nowhere");

        assertThatThrownBy(() -> NodeLoad.run(List.of(nowhere), plan))
                .isInstanceOf(IOException.class).hasMessageContaining("no WebSocket at");
    }

    private URI nodeUri() {
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws");
    }

    private static void assertExact(BenchResult result, long published, long deliveries) {
        Tally tally = result.tally();
        assertThat(result.settled()).isTrue();
        assertThat(tally.published()).isEqualTo(published);
        assertThat(tally.acknowledged()).isEqualTo(published);
        assertThat(tally.refused()).isZero();
        assertThat(tally.unanswered()).isZero();
        assertThat(tally.expected()).isEqualTo(deliveries);
        assertThat(tally.delivered()).isEqualTo(deliveries);
        assertThat(tally.lost()).isZero();
        assertThat(tally.dropped()).isZero();
        assertThat(tally.duplicates()).isZero();
        assertThat(tally.foreign()).isZero();
    }
}
