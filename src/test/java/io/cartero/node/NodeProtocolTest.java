package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol of docs/protocol.md, spoken by a real client to a real node and broker. */
class NodeProtocolTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static MemoryBroker broker;
    private static Node node;

    private final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    @AfterAll
    static void stopNode() {
        node.close();
        broker.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TestClient::close);
    }

    @Test
    void welcomesAHelloWithTheNodeAndItsLimits() {
        String ana = unique("ana");
        TestClient client = connect();

        Frame.Welcome welcome = client.call(new Frame.Hello(1L, ana, 1), Frame.Welcome.class);

        assertThat(welcome.name()).isEqualTo(ana);
        assertThat(welcome.version()).isEqualTo(1);
        assertThat(welcome.node()).isEqualTo(node.id()).matches(".+-[0-9a-f]{4}");
        assertThat(welcome.limits()).isEqualTo(new Frame.Limits(65_536, 4_000, 500));
    }

    @Test
    void fansEveryMessageOutToEveryMemberAndAcksTheSender() {
        String room = unique("fanout");
        String ana = unique("ana");
        String luis = unique("luis");
        TestClient anaClient = hello(ana);
        TestClient luisClient = hello(luis);
        anaClient.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        Frame.Joined joined = luisClient.call(new Frame.Join(2L, room, null, null),
                Frame.Joined.class);
        assertThat(joined.members()).containsExactly(ana, luis).isSorted();
        assertThat(joined.resume()).isEqualTo("fresh");

        Frame.Ack ack = anaClient.call(new Frame.Send(3L, room, "hola", null), Frame.Ack.class);

        assertThat(ack.message().sender()).isEqualTo(ana);
        assertThat(ack.message().text()).isEqualTo("hola");
        assertThat(ack.message().epoch()).isEqualTo(joined.epoch());
        for (TestClient client : List.of(anaClient, luisClient)) {
            assertThat(chatMessages(client, room, 1)).containsExactly(ack.message());
        }
    }

    @Test
    void sendsJoinedBeforeTheBacklogAndTheBacklogBeforeLiveMessages() {
        String room = unique("backlog");
        String ana = unique("ana");
        TestClient anaClient = hello(ana);
        for (int i = 1; i <= 5; i++) {
            anaClient.call(new Frame.Send((long) i, room, "m" + i, null), Frame.Ack.class);
        }
        TestClient reader = hello(null);

        reader.send(new Frame.Join(7L, room, null, 3));
        Frame.Joined joined = reader.next(Frame.Joined.class);
        List<Message> backlog = messagesOf(reader.messages(room, 3));
        anaClient.call(new Frame.Send(8L, room, "live", null), Frame.Ack.class);
        Message live = reader.messages(room, 1).get(0).message();

        assertThat(joined.lastOffset()).isEqualTo(5);
        assertThat(joined.members()).isEmpty();
        assertThat(backlog).extracting(Message::offset).containsExactly(3L, 4L, 5L);
        assertThat(backlog).extracting(Message::text).containsExactly("m3", "m4", "m5");
        assertThat(live.offset()).isEqualTo(6);
        assertThat(live.text()).isEqualTo("live");
    }

    @Test
    void resumesCompletelyAfterAKnownOffset() {
        String room = unique("resume");
        TestClient writer = hello(unique("ana"));
        Frame.Ack first = writer.call(new Frame.Send(1L, room, "one", null), Frame.Ack.class);
        writer.call(new Frame.Send(2L, room, "two", null), Frame.Ack.class);
        writer.call(new Frame.Send(3L, room, "three", null), Frame.Ack.class);
        TestClient reader = hello(null);

        Frame.Joined joined = reader.call(new Frame.Join(4L, room,
                new Frame.After(first.message().epoch(), first.message().offset()), null),
                Frame.Joined.class);

        assertThat(joined.resume()).isEqualTo("complete");
        assertThat(messagesOf(reader.messages(room, 2))).extracting(Message::text)
                .containsExactly("two", "three");
    }

    @Test
    void tellsAResumeFromAnUnknownEpochThatHistoryWasLost() {
        String room = unique("lost");
        TestClient writer = hello(unique("ana"));
        writer.call(new Frame.Send(1L, room, "one", null), Frame.Ack.class);
        writer.call(new Frame.Send(2L, room, "two", null), Frame.Ack.class);
        TestClient reader = hello(null);

        Frame.Joined joined = reader.call(new Frame.Join(3L, room,
                new Frame.After("an-old-epoch", 40L), null), Frame.Joined.class);

        assertThat(joined.resume()).isEqualTo("lost");
        assertThat(messagesOf(reader.messages(room, 2))).extracting(Message::text)
                .containsExactly("one", "two");
    }

    @Test
    void pagesThroughHistoryOldestFirst() {
        String room = unique("history");
        TestClient writer = hello(unique("ana"));
        for (int i = 1; i <= 6; i++) {
            writer.call(new Frame.Send((long) i, room, "m" + i, null), Frame.Ack.class);
        }

        Frame.HistoryPage latest = writer.call(new Frame.History(7L, room, null, null),
                Frame.HistoryPage.class);
        Frame.HistoryPage older = writer.call(new Frame.History(8L, room, 5L, 2),
                Frame.HistoryPage.class);

        assertThat(latest.room()).isEqualTo(room);
        assertThat(messagesOf(latest.messages())).extracting(Message::text)
                .containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
        assertThat(messagesOf(older.messages())).extracting(Message::offset)
                .containsExactly(3L, 4L);
    }

    @Test
    void listsTheMembersOfARoomSortedAndLeavesAnonymousSessionsOut() {
        String room = unique("who");
        String zoe = unique("zoe");
        String ana = unique("ana");
        hello(zoe).call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        hello(ana).call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        TestClient anonymous = hello(null);
        anonymous.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        Frame.Members members = anonymous.call(new Frame.Who(3L, room), Frame.Members.class);

        assertThat(members.room()).isEqualTo(room);
        assertThat(members.members()).containsExactly(ana, zoe);
    }

    @Test
    void listsRoomsWithTheirLastOffsetAndMembers() {
        String room = unique("listed");
        TestClient ana = hello(unique("ana"));
        ana.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        ana.call(new Frame.Send(3L, room, "hola", null), Frame.Ack.class);

        Frame.RoomList list = ana.call(new Frame.ListRooms(4L), Frame.RoomList.class);

        assertThat(list.rooms()).extracting(Frame.RoomEntry::name).isSorted().contains(room);
        Frame.RoomEntry entry = list.rooms().stream().filter(r -> r.name().equals(room))
                .findFirst().orElseThrow();
        assertThat(entry.lastOffset()).isEqualTo(2);
        assertThat(entry.members()).isEqualTo(1);
    }

    @Test
    void leavesARoomAndTellsTheOthers() {
        String room = unique("leave");
        String ana = unique("ana");
        TestClient anaClient = hello(ana);
        TestClient luis = hello(unique("luis"));
        anaClient.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        luis.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        Frame.Left left = anaClient.call(new Frame.Leave(3L, room), Frame.Left.class);

        assertThat(left.room()).isEqualTo(room);
        Frame.MessageFrame leaveMessage = (Frame.MessageFrame) luis.next(frame ->
                frame instanceof Frame.MessageFrame m && m.message().kind().wireName()
                        .equals("leave"));
        assertThat(leaveMessage.message().sender()).isEqualTo(ana);
        assertThat(anaClient.callForError(new Frame.Leave(4L, room)).code())
                .isEqualTo("not_joined");
        assertThat(luis.call(new Frame.Who(5L, room), Frame.Members.class).members())
                .doesNotContain(ana);
    }

    @Test
    void refusesJoiningARoomTwice() {
        String room = unique("twice");
        TestClient client = hello(unique("ana"));
        client.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        Frame.Error error = client.callForError(new Frame.Join(3L, room, null, null));

        assertThat(error.code()).isEqualTo("already_joined");
        assertThat(error.id()).isEqualTo(3L);
    }

    @Test
    void leavesEveryRoomWhenTheConnectionCloses() {
        String room = unique("closing");
        String ana = unique("ana");
        TestClient anaClient = hello(ana);
        TestClient luis = hello(unique("luis"));
        anaClient.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        luis.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        anaClient.close();

        await().atMost(TestClient.WAIT).untilAsserted(() -> assertThat(
                luis.call(new Frame.Who(SEQUENCE.incrementAndGet() + 100L, room),
                        Frame.Members.class).members()).doesNotContain(ana));
    }

    @Test
    void stampsTheSenderFromTheSessionWhateverTheFrameSays() {
        String room = unique("stamp");
        String ana = unique("ana");
        String luis = unique("luis");
        TestClient anaClient = hello(ana);
        TestClient luisClient = hello(luis);
        luisClient.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        anaClient.sendRaw("{\"type\":\"send\",\"id\":3,\"room\":\"" + room
                + "\",\"text\":\"soy luis\",\"sender\":\"" + luis + "\"}");
        Frame.Ack ack = (Frame.Ack) anaClient.next(frame -> frame instanceof Frame.Ack);

        assertThat(ack.message().sender()).isEqualTo(ana);
        assertThat(chatMessages(luisClient, room, 1)).extracting(Message::sender)
                .containsExactly(ana);
    }

    @Test
    void anonymousSessionsMayReadButNotSendOrPush() {
        TestClient anonymous = hello(null);

        Frame.Error send = anonymous.callForError(new Frame.Send(2L, unique("r"), "hola", null));
        Frame.Error push = anonymous.callForError(new Frame.Push(3L, unique("q"), "hola"));

        assertThat(send.code()).isEqualTo("name_required");
        assertThat(push.code()).isEqualTo("name_required");
        assertThat(anonymous.call(new Frame.Depth(4L, unique("q")), Frame.QueueDepth.class)
                .depth()).isZero();
    }

    @Test
    void refusesANameInUseUntilItsSessionCloses() {
        String ana = unique("ana");
        TestClient first = hello(ana);
        TestClient second = connect();

        Frame.Error taken = second.callForError(new Frame.Hello(1L, ana, null));
        Frame.Welcome other = second.call(new Frame.Hello(2L, unique("ana"), null),
                Frame.Welcome.class);
        first.close();

        assertThat(taken.code()).isEqualTo("name_taken");
        assertThat(taken.id()).isEqualTo(1L);
        assertThat(other.name()).startsWith("ana");
        TestClient third = connect();
        await().atMost(TestClient.WAIT).untilAsserted(() -> assertThat(
                third.call(new Frame.Hello(SEQUENCE.incrementAndGet() + 100L, ana, null),
                        Frame.class)).isInstanceOf(Frame.Welcome.class));
    }

    @Test
    void storesAKeyedSendOnceAndAcksTheRetryWithTheFirstMessage() {
        String room = unique("keyed");
        TestClient client = hello(unique("ana"));
        client.call(new Frame.Join(1L, room, null, null), Frame.Joined.class);

        Frame.Ack first = client.call(new Frame.Send(2L, room, "hola", "k-1"), Frame.Ack.class);
        Frame.Ack retry = client.call(new Frame.Send(3L, room, "hola", "k-1"), Frame.Ack.class);
        Frame.HistoryPage history = client.call(new Frame.History(4L, room, null, null),
                Frame.HistoryPage.class);

        assertThat(retry.message()).isEqualTo(first.message());
        assertThat(messagesOf(history.messages())).filteredOn(m -> m.text().equals("hola"))
                .hasSize(1);
    }

    @Test
    void sharesAQueueBetweenTwoConsumersEachMessageOnce() {
        String queue = unique("tareas");
        TestClient producer = hello(unique("ana"));
        TestClient one = hello(null);
        TestClient two = hello(null);
        for (int i = 1; i <= 10; i++) {
            producer.call(new Frame.Push((long) i, queue, "t" + i), Frame.Pushed.class);
        }

        List<String> taken = new ArrayList<>();
        for (long id = 1; id <= 12; id++) {
            TestClient consumer = id % 2 == 0 ? one : two;
            Frame.Popped popped = consumer.call(new Frame.Pop(id, queue, null),
                    Frame.Popped.class);
            if (popped.message() != null) {
                taken.add(popped.message().text());
            }
        }

        assertThat(taken).containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8",
                "t9", "t10");
    }

    @Test
    void answersAPopThatTimesOutWithoutAMessage() {
        TestClient client = hello(null);

        Frame.Popped popped = client.call(new Frame.Pop(2L, unique("empty"), 200L),
                Frame.Popped.class);

        assertThat(popped.message()).isNull();
    }

    @Test
    void answersAWaitingPopWhenAMessageArrivesWhileOtherRequestsGoOn() {
        String queue = unique("wait");
        TestClient consumer = hello(null);
        TestClient producer = hello(unique("ana"));

        consumer.send(new Frame.Pop(2L, queue, 10_000L));
        Frame.Pong pong = consumer.call(new Frame.Ping(3L), Frame.Pong.class);
        Frame.Pushed pushed = producer.call(new Frame.Push(4L, queue, "hola"),
                Frame.Pushed.class);
        Frame.Popped popped = (Frame.Popped) consumer.next(frame -> frame instanceof Frame.Popped);

        assertThat(pong.id()).isEqualTo(3L);
        assertThat(popped.id()).isEqualTo(2L);
        assertThat(popped.message()).isEqualTo(pushed.message());
    }

    @Test
    void cancelsAWaitingPopWhenItsConnectionCloses() throws Exception {
        String queue = unique("cancel");
        TestClient leaving = hello(null);
        leaving.send(new Frame.Pop(2L, queue, 20_000L));
        leaving.call(new Frame.Ping(3L), Frame.Pong.class);
        int before = openConnections();

        leaving.close();
        await().atMost(TestClient.WAIT).until(() -> openConnections() < before);
        TestClient producer = hello(unique("ana"));
        producer.call(new Frame.Push(4L, queue, "for someone still here"), Frame.Pushed.class);

        Frame.Popped popped = hello(null).call(new Frame.Pop(5L, queue, 5_000L),
                Frame.Popped.class);
        assertThat(popped.message()).isNotNull();
        assertThat(popped.message().text()).isEqualTo("for someone still here");
    }

    @Test
    void reportsTheDepthOfAQueue() {
        String queue = unique("depth");
        TestClient client = hello(unique("ana"));
        client.call(new Frame.Push(1L, queue, "a"), Frame.Pushed.class);
        client.call(new Frame.Push(2L, queue, "b"), Frame.Pushed.class);

        Frame.QueueDepth depth = client.call(new Frame.Depth(3L, queue), Frame.QueueDepth.class);

        assertThat(depth.queue()).isEqualTo(queue);
        assertThat(depth.depth()).isEqualTo(2);
    }

    @Test
    void answersPingWithPong() {
        assertThat(hello(null).call(new Frame.Ping(9L), Frame.Pong.class).id()).isEqualTo(9L);
    }

    @Test
    void repliesInTheOrderOfTheRequests() {
        String room = unique("order");
        TestClient client = hello(unique("ana"));
        List<Long> sent = new ArrayList<>();
        for (long id = 10; id < 70; id++) {
            client.send(requestNumber(id, room));
            sent.add(id);
        }

        List<Long> answered = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            answered.add(client.next(frame -> frame.id() != null).id());
        }

        assertThat(answered).isEqualTo(sent);
    }

    private static Frame requestNumber(long id, String room) {
        switch ((int) (id % 5)) {
            case 0:
                return new Frame.Send(id, room, "m" + id, null);
            case 1:
                return new Frame.Ping(id);
            case 2:
                return new Frame.History(id, room, null, 10);
            case 3:
                return new Frame.Send(id, "Not A Room", "x", null);
            default:
                return new Frame.Who(id, room);
        }
    }

    private static int openConnections() throws IOException, InterruptedException {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(health.body()).get("connections").asInt();
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

    private static List<Message> chatMessages(TestClient client, String room, int count) {
        List<Message> chat = new ArrayList<>();
        while (chat.size() < count) {
            Message message = client.messages(room, 1).get(0).message();
            if (message.kind().wireName().equals("chat")) {
                chat.add(message);
            }
        }
        return chat;
    }

    private static List<Message> messagesOf(List<?> frames) {
        return frames.stream()
                .map(f -> f instanceof Frame.MessageFrame m ? m.message() : (Message) f)
                .toList();
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }
}
