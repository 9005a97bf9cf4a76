package io.cartero.node;

import io.cartero.broker.memory.MemoryBroker;
import java.util.List;

/** Direct conversations and typing with every user on one node. */
class DirectOneNodeTest extends DirectContract {
    private MemoryBroker broker;
    private Node node;

    @Override
    protected List<Node> startNodes() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
        return List.of(node, node);
    }

    @Override
    protected void stopNodes() {
        node.close();
        broker.close();
    }
}
