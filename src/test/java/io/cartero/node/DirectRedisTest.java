package io.cartero.node;

import io.cartero.broker.redis.RedisBroker;
import io.cartero.broker.redis.TestRedis;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct conversations and typing across two nodes, each with a Redis broker of its own, on
 * one real Redis: nothing is shared but what Redis holds.
 */
class DirectRedisTest extends DirectContract {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private RedisBroker brokerA;
    private RedisBroker brokerB;
    private Node nodeA;
    private Node nodeB;

    @Override
    protected List<Node> startNodes() {
        RedisBroker.Settings settings = RedisBroker.Settings.defaults()
                .withPrefix("direct-" + UUID.randomUUID() + ":");
        brokerA = RedisBroker.connect(REDIS.url(), settings);
        brokerB = RedisBroker.connect(REDIS.url(), settings);
        NodeSettings local = NodeSettings.defaults().withHost("127.0.0.1").withPort(0);
        nodeA = Node.start(brokerA, brokerA, local);
        nodeB = Node.start(brokerB, brokerB, local);
        return List.of(nodeA, nodeB);
    }

    @Override
    protected void stopNodes() {
        nodeA.close();
        nodeB.close();
        brokerA.close();
        brokerB.close();
    }
}
