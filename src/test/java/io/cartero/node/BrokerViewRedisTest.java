package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.redis.RedisBroker;
import io.cartero.broker.redis.TestRedis;
import io.cartero.protocol.Frame;
import io.cartero.protocol.Picture;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each node's view shows on a shared Redis (docs/protocol.md, "What a node sees on
 * Redis"): its own connections and edges, and the broker's shared figures; a journey names
 * the Redis script that stored the message.
 */
class BrokerViewRedisTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private RedisBroker brokerA;
    private RedisBroker brokerB;
    private Node nodeA;
    private Node nodeB;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void startTwoNodes() {
        RedisBroker.Settings settings = RedisBroker.Settings.defaults()
                .withPrefix("view-" + UUID.randomUUID() + ":");
        brokerA = RedisBroker.connect(REDIS.url(), settings);
        brokerB = RedisBroker.connect(REDIS.url(), settings);
        NodeSettings local = NodeSettings.defaults().withHost("127.0.0.1").withPort(0);
        nodeA = Node.start(brokerA, brokerA, local);
        nodeB = Node.start(brokerB, brokerB, local);
    }

    @AfterEach
    void stopNodes() {
        clients.forEach(TestClient::close);
        nodeA.close();
        nodeB.close();
        brokerA.close();
        brokerB.close();
    }

    @Test
    void eachNodeShowsItsOwnConnectionsAndTheBrokersSharedFigures() {
        TestClient pablo = hello(nodeA, "pablo");
        TestClient ana = hello(nodeB, "ana");
        ana.call(new Frame.Join(2L, "plaza", null, null), Frame.Joined.class);
        TestClient watchA = watcher(nodeA);
        TestClient watchB = watcher(nodeB);

        Frame.Ack ack = pablo.call(new Frame.Send(2L, "plaza", "hola", null, null,
                System.currentTimeMillis()), Frame.Ack.class);
        long offset = ack.message().offset();

        Frame.View onA = view(watchA, v -> room(v).lastOffset() == offset);
        Frame.View onB = view(watchB, v -> room(v).lastOffset() == offset
                && v.edges().stream().anyMatch(e -> e.from().equals("room:plaza")
                        && e.total() >= 2));
        assertThat(onA.connections()).extracting(Picture.Client::name).containsExactly("pablo");
        assertThat(onA.edges()).extracting(Picture.Edge::to).containsExactly("room:plaza");
        assertThat(onB.connections()).extracting(Picture.Client::name).containsExactly("ana");
        assertThat(onB.edges()).extracting(Picture.Edge::from).containsOnly("room:plaza");
        assertThat(room(onA).people()).isEqualTo(1);
        assertThat(room(onA).members()).isEmpty();
        assertThat(onA.broker().kind()).isEqualTo("redis");
        assertThat(onA.broker().address()).startsWith("redis://").doesNotContain("@");

        Frame.JourneyReport onNodeA = watchA.call(new Frame.Journey(3L, "plaza", offset, null),
                Frame.JourneyReport.class);
        Frame.JourneyReport onNodeB = watchB.call(new Frame.Journey(3L, "plaza", offset, null),
                Frame.JourneyReport.class);
        assertThat(onNodeA.hops()).extracting(Picture.Hop::hop)
                .containsExactly("client_sent", "node_accepted", "broker_stored");
        assertThat(onNodeA.hops().get(2).detail()).startsWith("EVALSHA publish.lua");
        assertThat(onNodeB.hops()).extracting(Picture.Hop::hop)
                .containsExactly("broker_stored", "delivered");
        assertThat(onNodeB.hops().get(1).name()).isEqualTo("ana");
    }

    private static Picture.RoomBox room(Frame.View view) {
        return view.rooms().stream().filter(r -> r.name().equals("plaza")).findFirst()
                .orElse(new Picture.RoomBox("plaza", null, -1, 0, List.of()));
    }

    private TestClient watcher(Node node) {
        TestClient watcher = TestClient.connect(node.port());
        clients.add(watcher);
        watcher.call(new Frame.Hello(1L, null, 1), Frame.Welcome.class);
        watcher.call(new Frame.Watch(2L), Frame.Watching.class);
        return watcher;
    }

    private static Frame.View view(TestClient watcher, Predicate<Frame.View> wanted) {
        return (Frame.View) watcher.next(f -> f instanceof Frame.View v && wanted.test(v));
    }

    private TestClient hello(Node node, String name) {
        TestClient client = TestClient.hello(node.port(), name);
        clients.add(client);
        return client;
    }
}
