package io.cartero.client;

import static io.cartero.broker.BrokerContract.assertRefused;
import static io.cartero.broker.BrokerContract.failureOf;
import static io.cartero.broker.BrokerContract.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.Signal;
import io.cartero.broker.SignalRecorder;
import io.cartero.broker.Subscription;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node client against a real node, serving a memory broker on a free port. */
class NodeClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "general";
    private static final String QUEUE = "tareas";

    private final List<NodeClient> clients = new ArrayList<>();
    private MemoryBroker broker;
    private Node node;
    private URI server;

    @BeforeEach
    void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker,
                NodeSettings.defaults().withHost("127.0.0.1").withPort(0));
        server = URI.create("ws://127.0.0.1:" + node.port());
    }

    @AfterEach
    void stopNode() {
        clients.forEach(NodeClient::close);
        node.close();
        broker.close();
    }

    // ---------------------------------------------------------------- connecting

    @Test
    void connectsAndLearnsWhoTheNodeIs() {
        NodeClient ana = connect("ana");
        NodeClient anonymous = connect(null);

        assertThat(ana.name()).isEqualTo("ana");
        assertThat(ana.nodeId()).isEqualTo(node.id());
        assertThat(ana.server()).isEqualTo(URI.create(server + "/ws"));
        assertThat(ana.describe()).isEqualTo(server + "/ws");
        assertThat(ana.limits().maxTextCodePoints()).isEqualTo(4_000);
        assertThat(ana.limits().maxFrameBytes()).isEqualTo(65_536);
        assertThat(anonymous.name()).isNull();
    }

    @Test
    void aNameInUseIsRefusedWithNameTakenUntilItIsFree() {
        NodeClient ana = connect("ana");

        assertThatThrownBy(() -> connect("ana"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_TAKEN));

        ana.close();
        await().atMost(WAIT).ignoreExceptions()
                .untilAsserted(() -> assertThat(connect("ana").name()).isEqualTo("ana"));
    }

    // ---------------------------------------------------------------- rooms

    @Test
    void deliversEveryMessageToEverySubscriberOfTheRoom() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient luis = connect("luis");
        Recorder anaSees = subscribe(ana, ROOM, Position.now());
        Recorder luisSees = subscribe(luis, ROOM, Position.now());

        Message first = get(ana.rooms().publish(Publish.chat(ROOM, "ana", "hola")));
        get(luis.rooms().publish(Publish.chat(ROOM, "luis", "¿qué tal? 😀")));

        assertThat(first.sender()).isEqualTo("ana");
        assertThat(first.kind()).isEqualTo(Kind.CHAT);
        for (Recorder recorder : List.of(anaSees, luisSees)) {
            await().atMost(WAIT).until(() -> chats(recorder).size() == 2);
            assertThat(chats(recorder)).extracting(Message::sender, Message::text)
                    .containsExactly(tuple("ana", "hola"),
                            tuple("luis", "¿qué tal? 😀"));
        }
    }

    @Test
    void startsWithTheLastMessagesThenLiveOnes() throws Exception {
        NodeClient ana = connect("ana");
        publishMany(ana, ROOM, 5);
        NodeClient reader = connect(null);
        Recorder recorder = new Recorder();

        Subscription subscription = get(reader.rooms().subscribe(ROOM, Position.last(3),
                recorder));
        get(ana.rooms().publish(Publish.chat(ROOM, "ana", "live")));

        assertThat(subscription.resume().status()).isEqualTo(Resume.Status.FRESH);
        assertThat(subscription.resume().lastOffset()).isEqualTo(5);
        recorder.awaitMessages(4, WAIT);
        assertThat(recorder.messages()).extracting(Message::text)
                .containsExactly("m2", "m3", "m4", "live");
    }

    @Test
    void resumesAfterAPositionWithNothingMissed() throws Exception {
        NodeClient ana = connect("ana");
        List<Message> sent = publishMany(ana, ROOM, 3);
        String epoch = sent.get(0).epoch();
        NodeClient reader = connect(null);
        Recorder recorder = new Recorder();

        Subscription subscription = get(reader.rooms().subscribe(ROOM,
                Position.after(epoch, 1), recorder));
        Message live = get(ana.rooms().publish(Publish.chat(ROOM, "ana", "live")));

        assertThat(subscription.resume())
                .isEqualTo(new Resume(Resume.Status.COMPLETE, epoch, 3));
        recorder.awaitMessages(3, WAIT);
        assertThat(recorder.offsets()).containsExactly(2L, 3L, 4L);
        assertThat(reader.lastSeen(ROOM)).contains(new Position.After(epoch, live.offset()));
    }

    @Test
    void resumingFromAnUnknownEpochSaysHistoryWasLost() throws Exception {
        NodeClient ana = connect("ana");
        publishMany(ana, ROOM, 2);
        NodeClient reader = connect(null);
        Recorder recorder = new Recorder();

        Subscription subscription = get(reader.rooms().subscribe(ROOM,
                Position.after("not-this-epoch", 7), recorder));

        assertThat(subscription.resume().status()).isEqualTo(Resume.Status.LOST);
        recorder.awaitMessages(2, WAIT);
        assertThat(recorder.offsets()).containsExactly(1L, 2L);
    }

    @Test
    void historyPagesBackwardsOldestFirst() throws Exception {
        NodeClient ana = connect("ana");
        publishMany(ana, ROOM, 5);

        List<Message> newest = get(ana.rooms().history(ROOM, Long.MAX_VALUE, 2));
        List<Message> older = get(ana.rooms().history(ROOM, 4, 10));

        assertThat(newest).extracting(Message::offset).containsExactly(4L, 5L);
        assertThat(older).extracting(Message::text).containsExactly("m0", "m1", "m2");
    }

    @Test
    void listsTheRoomsSortedByName() throws Exception {
        NodeClient ana = connect("ana");
        publishMany(ana, "zeta", 1);
        publishMany(ana, "alfa", 2);

        List<RoomInfo> rooms = get(ana.rooms().list());

        assertThat(rooms).extracting(RoomInfo::name).containsExactly("alfa", "zeta");
        assertThat(rooms.get(0).lastOffset()).isEqualTo(2);
        assertThat(rooms.get(0).epoch()).isNotBlank();
    }

    @Test
    void aRepeatedKeyReturnsTheFirstMessageAndStoresNothing() throws Exception {
        NodeClient ana = connect("ana");
        Publish request = Publish.chat(ROOM, "ana", "una vez").withKey("c0a8-17");

        Message first = get(ana.rooms().publish(request));
        Message again = get(ana.rooms().publish(request));

        assertThat(again).isEqualTo(first);
        assertThat(get(ana.rooms().history(ROOM, Long.MAX_VALUE, 10))).containsExactly(first);
    }

    @Test
    void aRoomIsSubscribedOnceAtATime() throws Exception {
        NodeClient ana = connect("ana");
        Subscription first = get(ana.rooms().subscribe(ROOM, Position.now(), new Recorder()));

        assertThat(failureOf(ana.rooms().subscribe(ROOM, Position.now(), new Recorder())))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_JOINED));

        first.close();
        Recorder second = subscribe(ana, ROOM, Position.now());
        get(ana.rooms().publish(Publish.chat(ROOM, "ana", "otra vez")));
        await().atMost(WAIT).until(() -> chats(second).size() == 1);
    }

    @Test
    void aSlowListenerDelaysNeitherRepliesNorOtherRooms() throws Exception {
        NodeClient ana = connect("ana");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        get(ana.rooms().subscribe("lenta", Position.now(), message -> {
            if (message.kind() == Kind.CHAT) {
                blocked.countDown();
                awaitQuietly(release);
            }
        }));
        Recorder fast = subscribe(ana, "rapida", Position.now());

        get(ana.rooms().publish(Publish.chat("lenta", "ana", "espera")));
        assertThat(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        get(ana.rooms().publish(Publish.chat("rapida", "ana", "ya")));

        await().atMost(WAIT).until(() -> chats(fast).size() == 1);
        assertThat(get(ana.rooms().history("lenta", Long.MAX_VALUE, 10)))
                .extracting(Message::text).contains("espera");
        release.countDown();
    }

    @Test
    void aListenerTooFarBehindLosesItsSubscriptionAndResumesWhereItStopped() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient reader = NodeClient.connect(List.of(server), null, ClientOptions.defaults(), 5);
        clients.add(reader);
        CountDownLatch release = new CountDownLatch(1);
        Recorder stuck = new Recorder() {
            @Override
            public void onMessage(Message message) {
                super.onMessage(message);
                awaitQuietly(release);
            }
        };
        get(reader.rooms().subscribe(ROOM, Position.now(), stuck));

        String epoch = publishMany(ana, ROOM, 1).get(0).epoch();
        stuck.awaitMessages(1, WAIT);
        publishMany(ana, ROOM, 19);
        await().atMost(WAIT).until(() -> reader.lastSeen(ROOM)
                .equals(Optional.of(new Position.After(epoch, 6))));
        release.countDown();

        assertThat(stuck.ended()).succeedsWithin(WAIT).isInstanceOf(BrokerException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("fell 5 messages behind");
        assertThat(stuck.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        Recorder resumed = new Recorder();
        Subscription again = get(connect(null).rooms().subscribe(ROOM,
                reader.lastSeen(ROOM).get(), resumed));
        assertThat(again.resume().status()).isEqualTo(Resume.Status.COMPLETE);
        resumed.awaitMessages(14, WAIT);
        assertThat(resumed.offsets()).containsExactlyElementsOf(
                IntStream.rangeClosed(7, 20).mapToObj(i -> (long) i).toList());
        assertThat(get(reader.rooms().subscribe(ROOM, Position.now(), new Recorder())).room())
                .as("the node left the room for the dropped subscription").isEqualTo(ROOM);
    }

    // ---------------------------------------------------------------- presence

    @Test
    void joiningAndLeavingMakeTheSessionAMemberAndNoLonger() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient luis = connect("luis");

        assertThat(get(ana.presence().join(ROOM, "ana"))).isTrue();
        assertThat(get(ana.presence().join(ROOM, "ana"))).isFalse();
        assertThat(get(luis.presence().members(ROOM))).containsExactly("ana");

        assertThat(get(ana.presence().leave(ROOM, "ana"))).isTrue();
        assertThat(get(ana.presence().leave(ROOM, "ana"))).isFalse();
        await().atMost(WAIT).until(() -> get(luis.presence().members(ROOM)).isEmpty());
        assertThat(get(luis.rooms().history(ROOM, Long.MAX_VALUE, 10)))
                .extracting(Message::kind, Message::sender)
                .containsExactly(tuple(Kind.JOIN, "ana"),
                        tuple(Kind.LEAVE, "ana"));
    }

    @Test
    void aSessionCanOnlyJoinAsItself() {
        NodeClient ana = connect("ana");
        NodeClient anonymous = connect(null);

        assertRefused(ana.presence().join(ROOM, "luis"), ErrorCode.INVALID_NAME);
        assertRefused(ana.presence().leave(ROOM, "luis"), ErrorCode.INVALID_NAME);
        assertRefused(anonymous.presence().join(ROOM, "ana"), ErrorCode.NAME_REQUIRED);
    }

    // ---------------------------------------------------------------- typing

    @Test
    void tellsTheOthersInAJoinedRoomThatItsUserIsTyping() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient luis = connect("luis");
        subscribe(ana, ROOM, Position.now());
        subscribe(luis, ROOM, Position.now());
        SignalRecorder anaHears = new SignalRecorder();
        SignalRecorder luisHears = new SignalRecorder();
        get(ana.signals().listen(ROOM, anaHears));
        get(luis.signals().listen(ROOM, luisHears));

        get(ana.signals().send(Signal.typing(ROOM, "ana")));

        luisHears.await(1);
        assertThat(luisHears.signals()).containsExactly(Signal.typing(ROOM, "ana"));
        get(luis.signals().send(Signal.typing(ROOM, "luis")));
        anaHears.await(1);
        assertThat(anaHears.signals()).containsExactly(Signal.typing(ROOM, "luis"));
    }

    @Test
    void refusesSignalsTheNodeDoesNotCarry() {
        NodeClient ana = connect("ana");

        assertRefused(ana.signals().send(Signal.typing(ROOM, "luis")),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(ana.signals().send(new Signal(ROOM, "ana", "waving")),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(ana.signals().send(Signal.typing("not-joined", "ana")),
                ErrorCode.NOT_JOINED);
        assertRefused(ana.signals().send(Signal.typing("dm.secret", "ana")),
                ErrorCode.FORBIDDEN);
    }

    // ---------------------------------------------------------------- queues

    @Test
    void eachQueuedMessageGoesToExactlyOneOfTwoClients() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient luis = connect("luis");
        NodeClient eva = connect("eva");
        for (int i = 0; i < 20; i++) {
            get(ana.queues().push(QUEUE, "ana", "t" + i));
        }

        AtomicInteger taken = new AtomicInteger();
        CompletableFuture<List<String>> byLuis = CompletableFuture.supplyAsync(
                () -> drain(luis, taken, 20));
        CompletableFuture<List<String>> byEva = CompletableFuture.supplyAsync(
                () -> drain(eva, taken, 20));

        List<String> all = new ArrayList<>(get(byLuis));
        all.addAll(get(byEva));
        assertThat(all).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 20).mapToObj(i -> "t" + i).toList());
        assertThat(get(ana.queues().depth(QUEUE))).isZero();
    }

    @Test
    void aWaitingPopGetsTheNextPush() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient luis = connect("luis");
        CompletableFuture<Optional<QueueMessage>> waiting = luis.queues().pop(QUEUE, WAIT);

        // Gives the pop time to reach the node first; the outcome is the same either way.
        Thread.sleep(200);
        QueueMessage pushed = get(ana.queues().push(QUEUE, "ana", "imprimir informe"));

        assertThat(get(waiting)).contains(pushed);
        assertThat(pushed.sender()).isEqualTo("ana");
    }

    @Test
    void aPopThatTimesOutIsEmptyAndDepthCountsWhatWaits() throws Exception {
        NodeClient ana = connect("ana");

        assertThat(get(ana.queues().pop(QUEUE, Duration.ofMillis(200)))).isEmpty();
        get(ana.queues().push(QUEUE, "ana", "uno"));
        get(ana.queues().push(QUEUE, "ana", "dos"));
        assertThat(get(ana.queues().depth(QUEUE))).isEqualTo(2);
        assertThat(get(ana.queues().pop(QUEUE, Duration.ZERO))).get()
                .extracting(QueueMessage::text).isEqualTo("uno");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badInputGetsItsCodeAndTheClientGoesOn() throws Exception {
        NodeClient ana = connect("ana");
        String epoch = get(ana.rooms().publish(Publish.chat(ROOM, "ana", "hola"))).epoch();

        assertRefused(ana.rooms().history("Sala General", Long.MAX_VALUE, 10),
                ErrorCode.INVALID_ROOM);
        assertRefused(ana.rooms().subscribe("a/b", Position.now(), new Recorder()),
                ErrorCode.INVALID_ROOM);
        assertRefused(ana.queues().push(QUEUE, "ana", ""), ErrorCode.EMPTY_TEXT);
        assertRefused(ana.queues().push(QUEUE, "ana", "a".repeat(100_000)),
                ErrorCode.TEXT_TOO_LONG);
        assertRefused(ana.queues().pop(QUEUE, Duration.ofMillis(-1)),
                ErrorCode.INVALID_ARGUMENT);
        assertRefused(ana.rooms().history(ROOM, Long.MAX_VALUE, 0), ErrorCode.INVALID_ARGUMENT);
        assertRefused(ana.rooms().subscribe(ROOM, Position.after(epoch, 99), new Recorder()),
                ErrorCode.INVALID_ARGUMENT);

        Recorder recorder = subscribe(ana, ROOM, Position.now());
        get(ana.rooms().publish(Publish.chat(ROOM, "ana", "sigo aquí")));
        await().atMost(WAIT).until(() -> chats(recorder).size() == 1);
        assertThat(get(ana.queues().depth(QUEUE))).isZero();
    }

    @Test
    void aClientPublishesAndPushesOnlyAsItself() {
        NodeClient ana = connect("ana");

        assertRefused(ana.rooms().publish(Publish.chat(ROOM, "luis", "soy luis")),
                ErrorCode.INVALID_NAME);
        assertRefused(ana.rooms().publish(new Publish(ROOM, "ana", "", Kind.JOIN, null)),
                ErrorCode.INVALID_KIND);
        assertRefused(ana.queues().push(QUEUE, "luis", "soy luis"), ErrorCode.INVALID_NAME);
    }

    @Test
    void anAnonymousClientReadsButCannotPublishOrPush() throws Exception {
        NodeClient ana = connect("ana");
        NodeClient anonymous = connect(null);
        Recorder recorder = subscribe(anonymous, ROOM, Position.now());

        assertRefused(anonymous.rooms().publish(Publish.chat(ROOM, "ana", "hola")),
                ErrorCode.NAME_REQUIRED);
        assertRefused(anonymous.queues().push(QUEUE, "ana", "hola"), ErrorCode.NAME_REQUIRED);
        get(ana.rooms().publish(Publish.chat(ROOM, "ana", "hola")));

        recorder.awaitMessages(1, WAIT);
        assertThat(get(anonymous.presence().members(ROOM))).isEmpty();
        assertThat(get(anonymous.rooms().history(ROOM, Long.MAX_VALUE, 10))).hasSize(1);
    }

    // ---------------------------------------------------------------- ending

    @Test
    void aNodeThatStaysDownFailsWaitingRequestsThenGivesUpAndEndsSubscriptions()
            throws Exception {
        NodeClient ana = NodeClient.connect(List.of(server), "ana", ClientOptions.defaults()
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .withGiveUpAfter(Duration.ofMillis(500)));
        clients.add(ana);
        Recorder recorder = subscribe(ana, ROOM, Position.now());
        CompletableFuture<BrokerException> disconnected = new CompletableFuture<>();
        ana.onDisconnect(disconnected::complete);
        CompletableFuture<Optional<QueueMessage>> waiting = ana.queues().pop(QUEUE,
                Duration.ofSeconds(20));

        node.close();

        assertThat(failureOf(waiting)).isInstanceOf(BrokerException.class)
                .hasMessageContaining(server + "/ws");
        assertThat(recorder.ended()).succeedsWithin(WAIT).isInstanceOf(BrokerException.class);
        assertThat(disconnected).succeedsWithin(WAIT).extracting(Throwable::getMessage)
                .asString().contains(server + "/ws");
        assertThat(failureOf(ana.rooms().list())).isInstanceOf(BrokerException.class);
        assertThat(failureOf(ana.rooms().publish(Publish.chat(ROOM, "ana", "¿hola?"))))
                .isInstanceOf(BrokerException.class);
    }

    @Test
    void closeEndsOpenSubscriptionsOnlyAndIsNoDisconnect() throws Exception {
        NodeClient ana = connect("ana");
        Recorder open = subscribe(ana, ROOM, Position.now());
        Recorder closedBefore = new Recorder();
        get(ana.rooms().subscribe("otra", Position.now(), closedBefore)).close();
        CompletableFuture<BrokerException> disconnected = new CompletableFuture<>();
        ana.onDisconnect(disconnected::complete);

        ana.close();
        ana.close();

        assertThat(open.ended()).succeedsWithin(WAIT);
        assertThat(closedBefore.ended()).isNotDone();
        assertThat(disconnected).isNotDone();
        assertThat(failureOf(ana.queues().depth(QUEUE))).isInstanceOf(BrokerException.class);
        NodeClient luis = connect("luis");
        await().atMost(WAIT).until(() -> get(luis.presence().members(ROOM)).isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private NodeClient connect(String name) {
        NodeClient client = NodeClient.connect(server, name, WAIT);
        clients.add(client);
        return client;
    }

    private static Recorder subscribe(NodeClient client, String room, Position from)
            throws Exception {
        Recorder recorder = new Recorder();
        get(client.rooms().subscribe(room, from, recorder));
        return recorder;
    }

    private static List<Message> publishMany(NodeClient client, String room, int count)
            throws Exception {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(get(client.rooms().publish(Publish.chat(room, client.name(), "m" + i))));
        }
        return sent;
    }

    private static List<Message> chats(Recorder recorder) {
        return recorder.messages().stream().filter(m -> m.kind() == Kind.CHAT).toList();
    }

    private static List<String> drain(NodeClient client, AtomicInteger taken, int total) {
        List<String> mine = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (taken.get() < total && System.nanoTime() < deadline) {
            Optional<QueueMessage> next = client.queues().pop(QUEUE, Duration.ofMillis(50))
                    .join();
            next.ifPresent(message -> {
                mine.add(message.text());
                taken.incrementAndGet();
            });
        }
        return mine;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
