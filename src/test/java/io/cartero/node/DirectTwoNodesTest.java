package io.cartero.node;

import io.cartero.broker.memory.MemoryBroker;
import java.util.List;

/** Direct conversations and typing across two nodes that share one memory broker. */
class DirectTwoNodesTest extends DirectContract {
    private MemoryBroker broker;
    private Node nodeA;
    private Node nodeB;

    @Override
    protected List<Node> startNodes() {
        broker = new MemoryBroker();
        NodeSettings local = NodeSettings.defaults().withHost("127.0.0.1").withPort(0);
        nodeA = Node.start(broker, broker, local);
        nodeB = Node.start(broker, broker, local);
        return List.of(nodeA, nodeB);
    }

    @Override
    protected void stopNodes() {
        nodeA.close();
        nodeB.close();
        broker.close();
    }
}
