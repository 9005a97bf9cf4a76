package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Take and confirm, session takeover and graceful shutdown, with real WebSocket clients. */
class NodeReliabilityTest {
    private static final String QUEUE = "tareas";
    private static final String ROOM = "sala";

    private final List<TestClient> clients = new ArrayList<>();
    private MemoryBroker memory;
    private GatedBroker broker;
    private Node node;

    @BeforeEach
    void startNode() {
        memory = new MemoryBroker();
        broker = new GatedBroker(memory);
        broker.open();
        node = start(broker);
    }

    @AfterEach
    void stopNode() {
        clients.forEach(TestClient::close);
        node.close();
        memory.close();
    }

    // ---------------------------------------------------------------- take and confirm

    @Test
    void takesAMessageUnderALeaseAndConfirmsIt() {
        TestClient worker = hello("worker", null);
        worker.call(new Frame.Push(2L, QUEUE, "uno"), Frame.Pushed.class);

        Frame.TakenMessage taken = worker.call(new Frame.Take(3L, QUEUE, 0L, 30_000L),
                Frame.TakenMessage.class);
        Frame.Confirmed confirmed = worker.call(new Frame.Confirm(4L, QUEUE, taken.receipt()),
                Frame.Confirmed.class);

        assertThat(taken.message().text()).isEqualTo("uno");
        assertThat(taken.attempt()).isEqualTo(1);
        assertThat(confirmed.found()).isTrue();
        assertThat(worker.call(new Frame.Confirm(5L, QUEUE, taken.receipt()),
                Frame.Confirmed.class).found()).isFalse();
        assertThat(worker.call(new Frame.Depth(6L, QUEUE), Frame.QueueDepth.class).depth())
                .isZero();
    }

    @Test
    void aLeaseHeldByAClosedConnectionEndsAndItsMessageComesBack() {
        TestClient first = hello("first", null);
        first.call(new Frame.Push(2L, QUEUE, "uno"), Frame.Pushed.class);
        first.call(new Frame.Take(3L, QUEUE, 0L, 1_000L), Frame.TakenMessage.class);
        first.close();

        TestClient second = hello("second", null);
        Frame.TakenMessage again = second.call(new Frame.Take(2L, QUEUE, 10_000L, 30_000L),
                Frame.TakenMessage.class);

        assertThat(again.message().text()).isEqualTo("uno");
        assertThat(again.attempt()).isEqualTo(2);
    }

    @Test
    void refusesBadLeasesAndReceiptsAndLosesNothing() {
        TestClient worker = hello("worker", null);
        worker.call(new Frame.Push(2L, QUEUE, "uno"), Frame.Pushed.class);

        assertThat(worker.callForError(new Frame.Take(3L, QUEUE, 0L, 999L)).code())
                .isEqualTo("invalid_argument");
        assertThat(worker.callForError(new Frame.Take(4L, QUEUE, 0L, 3_600_001L)).code())
                .isEqualTo("invalid_argument");
        assertThat(worker.callForError(new Frame.Take(5L, QUEUE, 0L, null)).code())
                .isEqualTo("missing_field");
        assertThat(worker.callForError(new Frame.Take(6L, QUEUE, 31_000L, 5_000L)).code())
                .isEqualTo("invalid_argument");
        assertThat(worker.callForError(new Frame.Confirm(7L, QUEUE, "")).code())
                .isEqualTo("invalid_argument");
        assertThat(worker.callForError(new Frame.Confirm(8L, QUEUE, "r".repeat(129))).code())
                .isEqualTo("invalid_argument");
        assertThat(worker.callForError(new Frame.Confirm(9L, QUEUE, null)).code())
                .isEqualTo("missing_field");

        Frame.Popped popped = worker.call(new Frame.Pop(10L, QUEUE, 0L), Frame.Popped.class);
        assertThat(popped.message().text()).isEqualTo("uno");
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void refusesABadSessionTokenAndAcceptsAGoodOneAfterIt() {
        TestClient client = connect(TestClient.connect(node.port()));

        Frame.Error refused = client.callForError(new Frame.Hello(1L, "ana", null, "no spaces"));
        Frame.Welcome welcome = client.call(new Frame.Hello(2L, "ana", null, "s-1"),
                Frame.Welcome.class);

        assertThat(refused.code()).isEqualTo("invalid_argument");
        assertThat(welcome.name()).isEqualTo("ana");
    }

    @Test
    void aSessionThatConnectsAgainReplacesItsOlderConnection() {
        TestClient old = hello("ana", "session-1");
        old.call(new Frame.Join(2L, ROOM, null, null), Frame.Joined.class);

        TestClient fresh = hello("ana", "session-1");
        fresh.call(new Frame.Join(2L, ROOM, null, null), Frame.Joined.class);

        assertThat(old.awaitClose()).isEqualTo(4004);
        TestClient other = hello("bea", null);
        assertThat(other.call(new Frame.Who(2L, ROOM), Frame.Members.class).members())
                .containsExactly("ana");
        assertThat(other.callForError(new Frame.Hello(3L, "ana", null, "session-2")).code())
                .isEqualTo("already_hello");
        TestClient stranger = connect(TestClient.connect(node.port()));
        assertThat(stranger.callForError(new Frame.Hello(1L, "ana", null, "session-2"))
                .code()).isEqualTo("name_taken");
        other.call(new Frame.Join(4L, ROOM, null, null), Frame.Joined.class);
        fresh.call(new Frame.Send(3L, ROOM, "sigo aquí", null), Frame.Ack.class);
        Frame.MessageFrame said = (Frame.MessageFrame) other.next(frame ->
                frame instanceof Frame.MessageFrame m && m.message().text().equals("sigo aquí"));
        assertThat(said.message().sender()).isEqualTo("ana");
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void shutdownFinishesPublishesInFlightRefusesNewFramesAndClosesWithRestarting() {
        broker = new GatedBroker(memory);
        try (Node gated = start(broker)) {
            TestClient ana = connect(TestClient.hello(gated.port(), "ana"));
            TestClient bea = connect(TestClient.hello(gated.port(), "bea"));
            ana.send(new Frame.Send(2L, ROOM, "en vuelo", null));
            await().atMost(TestClient.WAIT).until(() -> broker.waiting() == 1);

            CompletableFuture<ShutdownSummary> stopped =
                    CompletableFuture.supplyAsync(() -> gated.shutdown(Duration.ofSeconds(10)));
            await().atMost(TestClient.WAIT).until(gated::closing);
            Frame.Error refused = bea.callForError(new Frame.Ping(3L));
            assertThat(refused.id()).isEqualTo(3L);
            assertThat(refused.code()).isEqualTo("shutting_down");
            broker.open();

            assertThat(ana.next(Frame.Ack.class).id()).isEqualTo(2L);
            assertThat(ana.awaitClose()).isEqualTo(1012);
            assertThat(bea.awaitClose()).isEqualTo(1012);
            assertThat(stopped).succeedsWithin(TestClient.WAIT)
                    .isEqualTo(new ShutdownSummary(2, 1, 0));
        }
    }

    @Test
    void shutdownRightAfterAHelloLeavesNoCleanUpWaiting() {
        Logger logger = (Logger) LoggerFactory.getLogger(Node.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Node quick = Node.start(memory, memory,
                    NodeSettings.defaults().withHost("127.0.0.1").withPort(0));
            connect(TestClient.hello(quick.port(), "ana")).close();

            quick.shutdown(Duration.ofSeconds(1));
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.startsWith("node stopped"))
                .noneMatch(line -> line.startsWith("clean-ups still running"));
    }

    @Test
    void shutdownFailsWhatTheBrokerDoesNotAnswerWithinTheGrace() {
        broker = new GatedBroker(memory);
        try (Node gated = start(broker)) {
            TestClient ana = connect(TestClient.hello(gated.port(), "ana"));
            ana.send(new Frame.Send(2L, ROOM, "atascado", null));
            await().atMost(TestClient.WAIT).until(() -> broker.waiting() == 1);

            ShutdownSummary summary = gated.shutdown(Duration.ofMillis(200));

            Frame.Error failed = ana.next(Frame.Error.class);
            assertThat(failed.id()).isEqualTo(2L);
            assertThat(failed.code()).isEqualTo("shutting_down");
            assertThat(ana.awaitClose()).isEqualTo(1012);
            assertThat(summary).isEqualTo(new ShutdownSummary(1, 0, 1));
        } finally {
            broker.open();
        }
    }

    @Test
    void shutdownAnswersAWaitingPopAtOnceAndTakesNothing() {
        TestClient waiter = hello("waiter", null);
        waiter.send(new Frame.Pop(2L, QUEUE, 30_000L));
        waiter.call(new Frame.Ping(3L), Frame.Pong.class);

        ShutdownSummary summary = node.shutdown(Duration.ofSeconds(10));
        memory.queues().push(QUEUE, "bot", "después").join();

        Frame.Error failed = waiter.next(Frame.Error.class);
        assertThat(failed.id()).isEqualTo(2L);
        assertThat(failed.code()).isEqualTo("shutting_down");
        assertThat(waiter.awaitClose()).isEqualTo(1012);
        assertThat(summary.requestsFailed()).isEqualTo(1);
        assertThat(memory.queues().depth(QUEUE).join()).isEqualTo(1);
    }

    private Node start(GatedBroker gated) {
        return Node.start(gated, memory, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0));
    }

    private TestClient hello(String name, String session) {
        TestClient client = connect(TestClient.connect(node.port()));
        client.call(new Frame.Hello(1L, name, null, session), Frame.Welcome.class);
        return client;
    }

    private TestClient connect(TestClient client) {
        clients.add(client);
        return client;
    }
}
