package io.cartero.cli.demo;

import io.cartero.broker.Position;
import io.cartero.broker.Subscription;
import io.cartero.client.NodeClient;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 6: two nodes serve one chat through one broker. A producer connected to node A
 * publishes; a consumer connected to node B receives: the messages cross from one node to the
 * other through the broker, never from node to node.
 */
final class DistributionStep implements TourStep {
    static final String KEY = "demo.nodes";
    /** The consumer's name in the accounts. */
    static final String CONSUMER = "consumer";
    private static final int MESSAGES = 3;
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(10);
    private static final Duration NODE_GRACE = Duration.ofSeconds(1);

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public StepRecord run(Stage stage) throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String consumer = stage.name("consumer_on_node");
        String room = stage.name("lobby");
        String where = stage.brokers().kind() == TourBrokers.Kind.MEMORY ? ".memory" : ".redis";
        narrator.paragraph(KEY + ".intro" + where, producer, consumer, room);

        List<Node> nodes = new ArrayList<>();
        try {
            nodes.add(start(stage, "A"));
            nodes.add(start(stage, "B"));
            return chat(stage, nodes.get(0), nodes.get(1), room);
        } finally {
            nodes.forEach(node -> node.shutdown(NODE_GRACE));
        }
    }

    private static Node start(Stage stage, String letter) {
        TourBrokers.NodeEngine engine = stage.brokers().forNode();
        NodeSettings settings = NodeSettings.defaults().withHost("127.0.0.1").withPort(0);
        Node node = Node.start(engine.broker(), engine.names(), settings);
        stage.narrator().live("demo.live.node", letter, address(node), node.id());
        return node;
    }

    private static StepRecord chat(Stage stage, Node nodeA, Node nodeB, String room)
            throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String consumer = stage.name("consumer_on_node");
        String sending = stage.name("on_node", producer, "A");
        String reading = stage.name("on_node", consumer, "B");
        Deliveries deliveries = new Deliveries();
        deliveries.expect(CONSUMER);
        RoomReader reader = RoomReader.live(
                message -> read(narrator, deliveries, reading, message), deliveries);
        List<String> sent = new ArrayList<>();
        try (NodeClient ana = connect(stage, producer, nodeA, "A");
                NodeClient luis = connect(stage, consumer, nodeB, "B");
                Subscription subscription = Stage.await(
                        luis.rooms().subscribe(room, Position.now(), reader))) {
            narrator.blank();
            for (int i = 1; i <= MESSAGES; i++) {
                stage.publish(ana, sending, producer, room, "m" + i);
                sent.add("m" + i);
                deliveries.awaitCount(CONSUMER, i);
                stage.beat();
            }
            int crossed = ana.nodeId().equals(luis.nodeId()) ? 0 : deliveries.count(CONSUMER);
            narrator.blank();
            narrator.paragraph(KEY + ".lesson", crossed, sent.size(), ana.nodeId(),
                    luis.nodeId());
            return new StepRecord(KEY, sent, deliveries.byConsumer(), 0, 0, crossed);
        }
    }

    private static void read(Narrator narrator, Deliveries deliveries, String reading,
            Message message) {
        narrator.live("demo.live.take", reading, message.room(), message.text());
        deliveries.record(CONSUMER, message.text());
    }

    private static NodeClient connect(Stage stage, String name, Node node, String letter) {
        NodeClient client = NodeClient.connect(URI.create(address(node)), name, CONNECT_WAIT);
        stage.narrator().live("demo.live.connects", name, letter);
        return client;
    }

    private static String address(Node node) {
        return "ws://127.0.0.1:" + node.port();
    }
}
