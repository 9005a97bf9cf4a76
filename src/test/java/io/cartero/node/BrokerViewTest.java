package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import io.cartero.protocol.Picture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker view over the protocol: {@code watch} gives pictures of producers, rooms, queues
 * and consumers with the traffic on each edge; {@code journey} gives a message's hops.
 */
class BrokerViewTest {
    private MemoryBroker broker;
    private Node node;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterEach
    void stopNode() {
        clients.forEach(TestClient::close);
        node.close();
        broker.close();
    }

    @Test
    void showsProducersConsumersRoomsAndQueuesWithTheTrafficOnEachEdge() {
        TestClient pablo = hello("pablo");
        TestClient ana = hello("ana");
        TestClient bea = hello("bea");
        for (TestClient consumer : List.of(ana, bea)) {
            consumer.call(new Frame.Join(2L, "plaza", null, null), Frame.Joined.class);
        }
        TestClient watcher = connect();
        watcher.call(new Frame.Hello(1L, null, 1), Frame.Welcome.class);
        Frame.Watching watching = watcher.call(new Frame.Watch(2L), Frame.Watching.class);
        assertThat(watching.node()).isEqualTo(node.id());
        Frame.View before = view(watcher, v -> edges(v).containsKey("room:plaza>" + id(v, "bea")));

        pablo.call(new Frame.Send(3L, "plaza", "hola", null), Frame.Ack.class);
        pablo.call(new Frame.Push(4L, "tareas", "una tarea"), Frame.Pushed.class);
        // Both wait on the queue; which of them the broker hands the task to is not fixed.
        ana.send(new Frame.Pop(5L, "tareas", 5_000L));
        bea.send(new Frame.Pop(5L, "tareas", 5_000L));

        String roomToAna = "room:plaza>" + id(before, "ana");
        String roomToBea = "room:plaza>" + id(before, "bea");
        String queueToAna = "queue:tareas>" + id(before, "ana");
        String queueToBea = "queue:tareas>" + id(before, "bea");
        long anaBefore = edges(before).get(roomToAna);
        long beaBefore = edges(before).get(roomToBea);
        Frame.View after = view(watcher, v -> edges(v).getOrDefault(roomToAna, 0L) > anaBefore
                && edges(v).getOrDefault(roomToBea, 0L) > beaBefore
                && v.queues().stream().anyMatch(q -> q.name().equals("tareas")
                        && q.consumers().size() == 2)
                && edges(v).getOrDefault(queueToAna, 0L)
                        + edges(v).getOrDefault(queueToBea, 0L) == 1);

        Map<String, Long> edges = edges(after);
        assertThat(edges.get(roomToAna)).isEqualTo(anaBefore + 1);
        assertThat(edges.get(roomToBea)).isEqualTo(beaBefore + 1);
        assertThat(List.of(edges.getOrDefault(queueToAna, 0L),
                edges.getOrDefault(queueToBea, 0L))).containsExactlyInAnyOrder(0L, 1L);
        assertThat(edges.get(id(after, "pablo") + ">room:plaza")).isEqualTo(1);
        assertThat(edges.get(id(after, "pablo") + ">queue:tareas")).isEqualTo(1);
        assertThat(client(after, "pablo").roles()).containsExactly("producer");
        assertThat(client(after, "ana").roles()).containsExactly("consumer");
        assertThat(client(after, "ana").rooms()).containsExactly("plaza");
        assertThat(after.broker().kind()).isEqualTo("memory");
        assertThat(after.rooms()).extracting(Picture.RoomBox::name).contains("plaza");
        Picture.QueueBox tareas = after.queues().get(0);
        assertThat(tareas.depth()).isZero();
        assertThat(after.connections()).extracting(Picture.Client::name)
                .containsExactlyInAnyOrder("pablo", "ana", "bea");
        assertThat(after.watchers()).isEqualTo(1);
        assertThat(after.recent()).extracting(Picture.Flow::room).contains("plaza");
    }

    @Test
    void aJourneyListsEveryHopOfAMessageWithTimesThatNeverDecrease() {
        TestClient ana = hello("ana");
        TestClient bea = hello("bea");
        for (TestClient member : List.of(ana, bea)) {
            member.call(new Frame.Join(2L, "plaza", null, null), Frame.Joined.class);
        }
        long clientTime = System.currentTimeMillis();
        Frame.Ack ack = ana.call(new Frame.Send(3L, "plaza", "hola", null, null, clientTime),
                Frame.Ack.class);
        for (TestClient member : List.of(ana, bea)) {
            member.messages("plaza", 1);
        }

        Frame.JourneyReport report = bea.call(new Frame.Journey(4L, "plaza",
                ack.message().offset(), ack.message().epoch()), Frame.JourneyReport.class);

        assertThat(report.hops()).extracting(Picture.Hop::hop).containsExactly("client_sent",
                "node_accepted", "broker_stored", "delivered", "delivered");
        assertThat(report.hops().get(0).at()).isEqualTo(clientTime);
        assertThat(report.hops()).extracting(Picture.Hop::at).isSorted();
        assertThat(report.hops().subList(3, 5)).extracting(Picture.Hop::name)
                .containsExactlyInAnyOrder("ana", "bea");
        assertThat(report.hops().get(2).detail()).contains("MemoryBroker");
        assertThat(report.sender()).isEqualTo("ana");
        assertThat(report.epoch()).isEqualTo(ack.message().epoch());
    }

    @Test
    void aJourneyWithoutTheClientsTimeSaysSoAndAnUnknownMessageHasNoHops() {
        TestClient ana = hello("ana");
        Frame.Ack ack = ana.call(new Frame.Send(2L, "plaza", "hola", null), Frame.Ack.class);

        Frame.JourneyReport report = ana.call(new Frame.Journey(3L, "plaza",
                ack.message().offset(), null), Frame.JourneyReport.class);
        Frame.JourneyReport unknown = ana.call(new Frame.Journey(4L, "plaza", 99L, null),
                Frame.JourneyReport.class);

        assertThat(report.hops().get(0).hop()).isEqualTo("client_sent");
        assertThat(report.hops().get(0).at()).isNull();
        assertThat(unknown.hops()).isEmpty();
    }

    @Test
    void refusesBadJourneysWithAClearErrorAndStaysOpen() {
        TestClient ana = hello("ana");

        assertThat(ana.callForError(new Frame.Journey(2L, "plaza", null, null)).code())
                .isEqualTo("missing_field");
        assertThat(ana.callForError(new Frame.Journey(3L, "plaza", 0L, null)).code())
                .isEqualTo("invalid_argument");
        assertThat(ana.callForError(new Frame.Journey(4L, "Not A Room", 1L, null)).code())
                .isEqualTo("invalid_room");
        assertThat(ana.callForError(new Frame.Journey(5L, "dm.0123", 1L, null)).code())
                .isEqualTo("forbidden");
        assertThat(ana.call(new Frame.Ping(6L), Frame.Pong.class).id()).isEqualTo(6L);
    }

    @Test
    void sideBySideAQueueSplitsTheMessagesAndARoomGivesEachConsumerAll() {
        TestClient watcher = connect();
        watcher.call(new Frame.Hello(1L, null, 1), Frame.Welcome.class);

        Frame.Comparison comparison = watcher.call(new Frame.Compare(2L, 6),
                Frame.Comparison.class);

        List<Integer> all = List.of(1, 2, 3, 4, 5, 6);
        assertThat(comparison.room().consumers()).extracting(Picture.Share::got)
                .containsExactly(all, all);
        List<Integer> fromQueue = new ArrayList<>();
        comparison.queue().consumers().forEach(share -> fromQueue.addAll(share.got()));
        assertThat(fromQueue).containsExactlyInAnyOrderElementsOf(all);
        comparison.queue().consumers().forEach(share -> assertThat(share.got()).isSorted());
        assertThat(comparison.queue().consumers()).extracting(Picture.Share::consumer)
                .containsExactly("consumer-1", "consumer-2");
        assertThat(watcher.call(new Frame.Depth(3L, comparison.queue().name()),
                Frame.QueueDepth.class).depth()).isZero();
    }

    @Test
    void refusesASideBySideOfNoneOrTooManyMessages() {
        TestClient ana = hello("ana");

        assertThat(ana.callForError(new Frame.Compare(2L, 0)).code())
                .isEqualTo("invalid_argument");
        assertThat(ana.callForError(new Frame.Compare(3L, 21)).code())
                .isEqualTo("invalid_argument");
        assertThat(ana.callForError(new Frame.Compare(4L, null)).code())
                .isEqualTo("missing_field");
    }

    @Test
    void theBrokersAddressNeverShowsItsPassword() {
        assertThat(BrokerView.address("redis://cartero:s3cret@aula:6379/0"))
                .isEqualTo("redis://aula:6379/0");
        assertThat(BrokerView.address("embedded:/srv/cartero")).isEqualTo("/srv/cartero");
        assertThat(BrokerView.kind("rediss://aula:6380")).isEqualTo("redis");
        assertThat(BrokerView.kind("embedded:/srv/cartero")).isEqualTo("embedded");
        assertThat(BrokerView.kind("memory")).isEqualTo("memory");
    }

    private Frame.View view(TestClient watcher, Predicate<Frame.View> wanted) {
        return (Frame.View) watcher.next(f -> f instanceof Frame.View v && wanted.test(v));
    }

    private static Map<String, Long> edges(Frame.View view) {
        return view.edges().stream().collect(Collectors.toMap(
                e -> e.from() + ">" + e.to(), Picture.Edge::total));
    }

    private static Picture.Client client(Frame.View view, String name) {
        return view.connections().stream().filter(c -> name.equals(c.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + view));
    }

    /** The edge end of {@code name}'s connection, or a name no edge has. */
    private static String id(Frame.View view, String name) {
        return view.connections().stream().filter(c -> name.equals(c.name())).findFirst()
                .map(c -> "conn:" + c.id()).orElse("conn:none");
    }

    private TestClient connect() {
        TestClient client = TestClient.connect(node.port());
        clients.add(client);
        return client;
    }

    private TestClient hello(String name) {
        TestClient client = TestClient.hello(node.port(), name);
        clients.add(client);
        return client;
    }
}
