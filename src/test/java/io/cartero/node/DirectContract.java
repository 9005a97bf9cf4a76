package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.protocol.DirectRooms;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Direct conversations and typing, spoken by real clients to real nodes. A subclass supplies
 * two nodes on one broker (or the same node twice); the first user of each test connects to
 * node A, the second to node B, so what crosses nodes is tested wherever there are two.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DirectContract {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Long enough for a broker round trip on a busy machine; used to show that nothing came. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private final List<TestClient> clients = new ArrayList<>();
    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    private Node nodeA;
    private Node nodeB;

    /** Starts the two nodes, which may be one node twice. */
    protected abstract List<Node> startNodes();

    /** Stops the nodes and their brokers. */
    protected abstract void stopNodes();

    @BeforeAll
    void start() {
        List<Node> nodes = startNodes();
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
    }

    @AfterAll
    void stop() {
        stopNodes();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TestClient::close);
        clients.clear();
    }

    @Test
    void twoUsersExchangeMessagesBothWays() {
        String ana = unique("ana");
        String bob = unique("bob");
        String room = DirectRooms.room(ana, bob);
        List<String> between = DirectRooms.between(ana, bob);
        TestClient anaClient = helloA(ana);
        TestClient bobClient = helloB(bob);
        Frame.Joined anaJoined = anaClient.call(new Frame.Join(2L, null, null, null, bob),
                Frame.Joined.class);
        Frame.Joined bobJoined = bobClient.call(new Frame.Join(2L, null, null, null, ana),
                Frame.Joined.class);

        Frame.Ack toBob = anaClient.call(new Frame.Send(3L, null, "hola bob", null, bob),
                Frame.Ack.class);
        Frame.Ack toAna = bobClient.call(new Frame.Send(3L, null, "hola ana", null, ana),
                Frame.Ack.class);

        assertThat(anaJoined.room()).isEqualTo(room).isEqualTo(bobJoined.room());
        assertThat(anaJoined.between()).isEqualTo(between).isEqualTo(bobJoined.between());
        assertThat(toBob.message().room()).isEqualTo(room);
        assertThat(toBob.between()).isEqualTo(between);
        for (TestClient client : List.of(anaClient, bobClient)) {
            List<Frame.MessageFrame> chat = chat(client, room, 2);
            assertThat(chat).extracting(Frame.MessageFrame::message)
                    .containsExactly(toBob.message(), toAna.message());
            assertThat(chat).extracting(Frame.MessageFrame::between).containsOnly(between);
        }
    }

    @Test
    void tellsBothUsersOfANewConversation() {
        String ana = unique("ana");
        String bob = unique("bob");
        String room = DirectRooms.room(ana, bob);
        TestClient anaClient = helloA(ana);
        TestClient bobClient = helloB(bob);

        anaClient.call(new Frame.Send(2L, null, "hola", null, bob), Frame.Ack.class);

        assertThat(direct(anaClient)).isEqualTo(new Frame.Direct(null, bob, room));
        assertThat(direct(bobClient)).isEqualTo(new Frame.Direct(null, ana, room));
    }

    @Test
    void tellsEveryConnectionOfTheUserOnEveryNode() {
        assumeTrue(nodeA != nodeB, "one node holds one connection per session");
        String ana = unique("ana");
        String bob = unique("bob");
        TestClient bobOnB = hello(nodeB, bob, "tabs-" + bob);
        TestClient bobOnA = hello(nodeA, bob, "tabs-" + bob);

        helloA(ana).call(new Frame.Send(2L, null, "hola", null, bob), Frame.Ack.class);

        Frame.Direct expected = new Frame.Direct(null, ana, DirectRooms.room(ana, bob));
        assertThat(direct(bobOnB)).isEqualTo(expected);
        assertThat(direct(bobOnA)).isEqualTo(expected);
    }

    @Test
    void tellsAUserWhoComesBackOfEachConversationOnceTheMostRecentLast() {
        String bob = unique("bob");
        String ana = unique("ana");
        String carl = unique("carl");
        TestClient anaClient = helloA(ana);
        TestClient carlClient = helloA(carl);
        carlClient.call(new Frame.Send(2L, null, "uno", null, bob), Frame.Ack.class);
        anaClient.call(new Frame.Send(2L, null, "dos", null, bob), Frame.Ack.class);
        anaClient.call(new Frame.Send(3L, null, "tres", null, bob), Frame.Ack.class);
        carlClient.call(new Frame.Send(3L, null, "cuatro", null, bob), Frame.Ack.class);

        TestClient bobClient = helloB(bob);

        assertThat(List.of(direct(bobClient), direct(bobClient))).containsExactly(
                new Frame.Direct(null, ana, DirectRooms.room(ana, bob)),
                new Frame.Direct(null, carl, DirectRooms.room(carl, bob)));
        assertThat(afterAWhile(bobClient)).filteredOn(Frame.Direct.class::isInstance)
                .hasSize(2);
    }

    @Test
    void sendsTheWelcomeBeforeAnyDirectFrame() {
        String ana = unique("ana");
        String bob = unique("bob");
        helloA(ana).call(new Frame.Send(2L, null, "hola", null, bob), Frame.Ack.class);
        TestClient bobClient = TestClient.connect(nodeB.port());
        clients.add(bobClient);

        bobClient.send(new Frame.Hello(1L, bob, 1));

        assertThat(bobClient.next()).isInstanceOf(Frame.Welcome.class);
        assertThat(bobClient.next()).isEqualTo(new Frame.Direct(null, ana,
                DirectRooms.room(ana, bob)));
    }

    @Test
    void refusesEveryFrameThatNamesADirectRoomInRoom() {
        String ana = unique("ana");
        String bob = unique("bob");
        String room = DirectRooms.room(ana, bob);
        helloA(ana).call(new Frame.Send(2L, null, "secreto", null, bob), Frame.Ack.class);
        TestClient eve = helloB(unique("eve"));

        List<Frame> attempts = List.of(new Frame.Join(3L, room, null, 10),
                new Frame.Join(4L, room, new Frame.After("any", 0L), null),
                new Frame.History(5L, room, null, null), new Frame.Who(6L, room),
                new Frame.Send(7L, room, "hola", null), new Frame.Leave(8L, room),
                new Frame.Typing(9L, room), new Frame.Join(10L, "dm.anything", null, null),
                new Frame.History(11L, Conversations.listRoom(ana), null, null));

        for (Frame attempt : attempts) {
            Frame.Error refused = eve.callForError(attempt);
            assertThat(refused.code()).as(attempt.toString()).isEqualTo("forbidden");
            String named = attempt.toString().replaceFirst(".*room=([^,\\]]+).*", "$1");
            assertThat(named).startsWith("dm.");
            assertThat(refused.message()).contains("not yours", named);
        }
        assertThat(eve.received()).noneMatch(frame -> frame instanceof Frame.MessageFrame);
    }

    /**
     * Eve knows everything a third user could find out: the direct room's name (it follows
     * from the two names) and its epoch and offsets. Joining it, reading its history and
     * resuming into it at any offset are each refused, and none of its messages reaches her.
     */
    @Test
    void aThirdUserCannotJoinReadOrResumeIntoTheConversationOfTwoOthers() {
        String ana = unique("ana");
        String bob = unique("bob");
        String room = DirectRooms.room(ana, bob);
        TestClient anaClient = helloA(ana);
        Message first = anaClient.call(new Frame.Send(2L, null, "secreto uno", null, bob),
                Frame.Ack.class).message();
        Message second = anaClient.call(new Frame.Send(3L, null, "secreto dos", null, bob),
                Frame.Ack.class).message();
        TestClient eve = helloB(unique("eve"));

        List<Frame> attempts = List.of(
                new Frame.Join(4L, room, null, null),
                new Frame.Join(5L, room, null, 100),
                new Frame.Join(6L, room, new Frame.After(first.epoch(), 0L), null),
                new Frame.Join(7L, room, new Frame.After(first.epoch(), first.offset()), null),
                new Frame.History(8L, room, null, 500),
                new Frame.History(9L, room, second.offset() + 1, 500),
                new Frame.Who(10L, room));

        for (Frame attempt : attempts) {
            Frame.Error refused = eve.callForError(attempt);
            assertThat(refused.code()).as(attempt.toString()).isEqualTo("forbidden");
            assertThat(refused.message()).contains("not yours");
        }
        List<Frame> seen = afterAWhile(eve);
        assertThat(seen).noneMatch(frame -> frame instanceof Frame.MessageFrame
                || frame instanceof Frame.HistoryPage || frame instanceof Frame.Joined
                || frame instanceof Frame.Members);
        assertThat(seen.toString()).doesNotContain("secreto");
    }

    @Test
    void aThirdUserReachesOnlyHisOwnConversations() {
        String ana = unique("ana");
        String bob = unique("bob");
        String eve = unique("eve");
        helloA(ana).call(new Frame.Send(2L, null, "solo para bob", null, bob), Frame.Ack.class);
        TestClient eveClient = helloB(eve);

        Frame.Joined withAna = eveClient.call(new Frame.Join(3L, null, null, 100, ana),
                Frame.Joined.class);
        Frame.HistoryPage withBob = eveClient.call(new Frame.History(4L, null, null, null, bob),
                Frame.HistoryPage.class);
        Frame.Members whoWithAna = eveClient.call(new Frame.Who(5L, null, ana),
                Frame.Members.class);

        assertThat(withAna.room()).isEqualTo(DirectRooms.room(ana, eve))
                .isNotEqualTo(DirectRooms.room(ana, bob));
        assertThat(withAna.between()).contains(eve);
        assertThat(withBob.room()).isEqualTo(DirectRooms.room(bob, eve));
        assertThat(withBob.messages()).isEmpty();
        assertThat(withBob.between()).containsExactlyElementsOf(DirectRooms.between(bob, eve));
        assertThat(whoWithAna.members()).containsExactly(eve);
        assertThat(eveClient.messages(withAna.room(), 1).get(0).message().kind())
                .isEqualTo(Kind.JOIN);
        assertThat(eveClient.received()).filteredOn(Frame.MessageFrame.class::isInstance)
                .extracting(frame -> ((Frame.MessageFrame) frame).message().text())
                .doesNotContain("solo para bob");
    }

    @Test
    void keepsDirectRoomsOutOfTheRoomList() {
        String ana = unique("ana");
        String bob = unique("bob");
        String open = unique("abierta");
        TestClient anaClient = helloA(ana);
        anaClient.call(new Frame.Send(2L, null, "hola", null, bob), Frame.Ack.class);
        anaClient.call(new Frame.Join(3L, null, null, null, bob), Frame.Joined.class);
        anaClient.call(new Frame.Send(4L, open, "hola a todos", null), Frame.Ack.class);

        Frame.RoomList list = helloB(unique("eve")).call(new Frame.ListRooms(5L),
                Frame.RoomList.class);

        assertThat(list.rooms()).extracting(Frame.RoomEntry::name).contains(open)
                .noneMatch(DirectRooms::isReserved);
    }

    @Test
    void resumesAfterTheLastMessageSeenWithNoGapAndNoDuplicate() {
        String ana = unique("ana");
        String bob = unique("bob");
        String room = DirectRooms.room(ana, bob);
        TestClient anaClient = helloA(ana);
        TestClient bobClient = helloB(bob);
        bobClient.call(new Frame.Join(2L, null, null, null, ana), Frame.Joined.class);
        anaClient.call(new Frame.Send(2L, null, "uno", null, bob), Frame.Ack.class);
        Message seen = texts(bobClient, room, 1).get(0);
        bobClient.close();
        anaClient.call(new Frame.Send(3L, null, "dos", null, bob), Frame.Ack.class);
        Frame.Ack last = anaClient.call(new Frame.Send(4L, null, "tres", null, bob),
                Frame.Ack.class);

        TestClient again = helloB(bob);
        Frame.Joined resumed = again.call(new Frame.Join(2L, null,
                new Frame.After(seen.epoch(), seen.offset()), null, ana), Frame.Joined.class);

        assertThat(seen.text()).isEqualTo("uno");
        assertThat(resumed.resume()).isEqualTo("complete");
        assertThat(resumed.between()).isEqualTo(DirectRooms.between(ana, bob));
        List<Message> missed = new ArrayList<>();
        while (missed.isEmpty() || missed.get(missed.size() - 1).offset()
                < last.message().offset()) {
            missed.add(again.messages(room, 1).get(0).message());
        }
        assertThat(missed).extracting(Message::offset).containsExactlyElementsOf(
                LongStream.rangeClosed(seen.offset() + 1, last.message().offset()).boxed()
                        .toList());
        assertThat(missed).filteredOn(message -> message.kind() == Kind.CHAT)
                .extracting(Message::text).containsExactly("dos", "tres");
    }

    @Test
    void leavesADirectConversationByName() {
        String ana = unique("ana");
        String bob = unique("bob");
        TestClient anaClient = helloA(ana);
        anaClient.call(new Frame.Join(2L, null, null, null, bob), Frame.Joined.class);

        Frame.Left left = anaClient.call(new Frame.Leave(3L, null, bob), Frame.Left.class);

        assertThat(left.room()).isEqualTo(DirectRooms.room(ana, bob));
        assertThat(left.between()).isEqualTo(DirectRooms.between(ana, bob));
        assertThat(anaClient.callForError(new Frame.Leave(4L, null, bob)).code())
                .isEqualTo("not_joined");
    }

    @Test
    void refusesWithOnAnAnonymousSessionOrNamingYourselfOrABadName() {
        String ana = unique("ana");
        TestClient anonymous = TestClient.hello(nodeA.port(), null);
        clients.add(anonymous);
        TestClient anaClient = helloB(ana);

        assertThat(anonymous.callForError(new Frame.Join(2L, null, null, null, "bob")).code())
                .isEqualTo("name_required");
        assertThat(anonymous.callForError(new Frame.History(3L, null, null, null, "bob"))
                .code()).isEqualTo("name_required");
        assertThat(anaClient.callForError(new Frame.Send(2L, null, "hola", null, ana)).code())
                .isEqualTo("invalid_argument");
        assertThat(anaClient.callForError(new Frame.Join(3L, null, null, null, " bob")).code())
                .isEqualTo("invalid_name");
        assertThat(anaClient.callForError(new Frame.Who(4L, null, "a\u0007b")).code())
                .isEqualTo("invalid_name");
        anaClient.sendRaw("{\"type\":\"join\",\"id\":5,\"room\":\"general\",\"with\":\"bob\"}");
        assertThat(anaClient.next(frame -> Long.valueOf(5).equals(frame.id())))
                .isInstanceOf(Frame.Error.class)
                .extracting(frame -> ((Frame.Error) frame).code()).isEqualTo("invalid_argument");
        assertThat(anaClient.call(new Frame.Ping(6L), Frame.Pong.class)).isNotNull();
    }

    @Test
    void forwardsTypingToTheRoomsOtherConnectionsButNotBackAndStoresNothing() {
        String room = unique("general");
        String ana = unique("ana");
        String bob = unique("bob");
        TestClient anaClient = helloA(ana);
        TestClient bobClient = helloB(bob);
        TestClient reader = track(TestClient.hello(nodeB.port(), null));
        TestClient outside = helloB(unique("carl"));
        for (TestClient client : List.of(anaClient, bobClient, reader)) {
            client.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        }

        Frame.Ok ok = anaClient.call(new Frame.Typing(3L, room), Frame.Ok.class);

        Frame.Typing expected = new Frame.Typing(null, room, null, ana, null);
        assertThat(ok.id()).isEqualTo(3L);
        assertThat(bobClient.next(Frame.Typing.class::isInstance)).isEqualTo(expected);
        assertThat(reader.next(Frame.Typing.class::isInstance)).isEqualTo(expected);
        assertThat(afterAWhile(anaClient)).noneMatch(Frame.Typing.class::isInstance);
        assertThat(outside.received()).noneMatch(Frame.Typing.class::isInstance);
        assertThat(bobClient.call(new Frame.History(4L, room, null, null),
                Frame.HistoryPage.class).messages()).extracting(Message::kind)
                .containsOnly(Kind.JOIN);
    }

    @Test
    void forwardsTypingInADirectConversationWithItsUsers() {
        String ana = unique("ana");
        String bob = unique("bob");
        TestClient anaClient = helloA(ana);
        TestClient bobClient = helloB(bob);
        anaClient.call(new Frame.Join(2L, null, null, null, bob), Frame.Joined.class);
        bobClient.call(new Frame.Join(2L, null, null, null, ana), Frame.Joined.class);

        bobClient.call(new Frame.Typing(3L, null, ana, null, null), Frame.Ok.class);

        assertThat(anaClient.next(Frame.Typing.class::isInstance)).isEqualTo(new Frame.Typing(
                null, DirectRooms.room(ana, bob), null, bob, DirectRooms.between(ana, bob)));
    }

    @Test
    void forwardsAtMostOneTypingSignalASecondAndAnswersEveryOne() {
        String room = unique("busy");
        TestClient anaClient = helloA(unique("ana"));
        TestClient bobClient = helloB(unique("bob"));
        anaClient.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);
        bobClient.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        long start = System.nanoTime();
        for (long id = 10; id < 40; id++) {
            anaClient.send(new Frame.Typing(id, room));
        }
        for (long id = 10; id < 40; id++) {
            long wanted = id;
            assertThat(anaClient.next(frame -> Long.valueOf(wanted).equals(frame.id())))
                    .isInstanceOf(Frame.Ok.class);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        bobClient.next(Frame.Typing.class::isInstance);
        long forwarded = afterAWhile(bobClient).stream().filter(Frame.Typing.class::isInstance)
                .count();
        assertThat(forwarded).isBetween(1L, seconds + 1);
    }

    @Test
    void refusesTypingOutsideAJoinedRoomOrWithoutAName() {
        String room = unique("general");
        TestClient anaClient = helloA(unique("ana"));
        TestClient anonymous = track(TestClient.hello(nodeA.port(), null));
        anonymous.call(new Frame.Join(2L, room, null, null), Frame.Joined.class);

        assertThat(anaClient.callForError(new Frame.Typing(3L, room)).code())
                .isEqualTo("not_joined");
        assertThat(anaClient.callForError(new Frame.Typing(4L, null, "bob", null, null)).code())
                .isEqualTo("not_joined");
        assertThat(anonymous.callForError(new Frame.Typing(3L, room)).code())
                .isEqualTo("name_required");
    }

    /** A name of this run, so that tests never meet each other's users and rooms. */
    protected String unique(String prefix) {
        return prefix + "-" + run + "-" + SEQUENCE.incrementAndGet();
    }

    protected TestClient helloA(String name) {
        return track(TestClient.hello(nodeA.port(), name));
    }

    protected TestClient helloB(String name) {
        return track(TestClient.hello(nodeB.port(), name));
    }

    /** A connection of {@code name} with the session token {@code session}. */
    private TestClient hello(Node node, String name, String session) {
        TestClient client = track(TestClient.connect(node.port()));
        client.call(new Frame.Hello(1L, name, 1, session), Frame.Welcome.class);
        return client;
    }

    private TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    private static Frame.Direct direct(TestClient client) {
        return (Frame.Direct) client.next(Frame.Direct.class::isInstance);
    }

    private static List<Frame.MessageFrame> chat(TestClient client, String room, int count) {
        List<Frame.MessageFrame> chat = new ArrayList<>();
        while (chat.size() < count) {
            Frame.MessageFrame frame = client.messages(room, 1).get(0);
            if (frame.message().kind() == Kind.CHAT) {
                chat.add(frame);
            }
        }
        return chat;
    }

    private static List<Message> texts(TestClient client, String room, int count) {
        List<Message> texts = new ArrayList<>();
        while (texts.size() < count) {
            Message message = client.messages(room, 1).get(0).message();
            if (message.kind() == Kind.CHAT) {
                texts.add(message);
            }
        }
        return texts;
    }

    /**
     * Every frame {@code client} received, after a round trip and a little wait, so that a
     * frame that should not come has had the time to.
     */
    private static List<Frame> afterAWhile(TestClient client) {
        client.call(new Frame.Ping(99L), Frame.Pong.class);
        try {
            Thread.sleep(QUIET.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client.received();
    }
}
