package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Publish;
import io.cartero.broker.disk.EmbeddedBroker;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.protocol.Frame;
import io.cartero.protocol.Picture;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's classroom controls over the protocol, against a real node and broker: only
 * with the token; pausing a consumer lets its queue grow and resuming drains it; cutting the
 * node off the broker shows in the view and holds deliveries back, restoring hands them over;
 * simulated clients come and go.
 */
class OperatorControlsTest {
    private static final String TOKEN = "clase-de-redes-2026";

    private MemoryBroker broker;
    private Node node;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void startNode() {
        broker = new MemoryBroker();
        node = Node.start(broker, broker, NodeSettings.defaults().withHost("127.0.0.1")
                .withPort(0), Operator.withToken(TOKEN));
    }

    @AfterEach
    void stopNode() {
        clients.forEach(TestClient::close);
        node.close();
        broker.close();
    }

    @Test
    void refusesAControlWithoutTheTokenOrWithAWrongOneAndStaysOpen() {
        TestClient eve = hello("eve");

        assertThat(eve.callForError(operate(2L, null, "cut", null)).code())
                .isEqualTo("operator_required");
        assertThat(eve.callForError(operate(3L, "clase-de-redes-2025", "cut", null)).code())
                .isEqualTo("operator_required");
        assertThat(eve.call(new Frame.Ping(4L), Frame.Pong.class).id()).isEqualTo(4L);
        assertThat(node.operatorToken()).isEqualTo(TOKEN);
        assertThat(eve.call(new Frame.Send(5L, "plaza", "sigo aquí", null), Frame.Ack.class)
                .message().text()).isEqualTo("sigo aquí");
    }

    @Test
    void refusesAnUnknownActionAndAPauseOfNobody() {
        TestClient teacher = hello("profe");

        assertThat(teacher.callForError(operate(2L, TOKEN, "explode", null)).code())
                .isEqualTo("invalid_argument");
        assertThat(teacher.callForError(operate(3L, TOKEN, "pause", "nadie")).code())
                .isEqualTo("invalid_argument");
        assertThat(teacher.callForError(operate(4L, TOKEN, "pause", null)).code())
                .isEqualTo("missing_field");
    }

    @Test
    void pausingAConsumerLetsItsQueueGrowAndResumingDrainsIt() {
        TestClient teacher = hello("profe");
        TestClient pablo = hello("pablo");
        TestClient ana = hello("ana");
        teacher.call(operate(2L, TOKEN, "pause", "ana"), Frame.Operated.class);

        for (long id = 10; id < 13; id++) {
            pablo.call(new Frame.Push(id, "tareas", "tarea " + id), Frame.Pushed.class);
        }
        Frame.Popped whilePaused = ana.call(new Frame.Pop(3L, "tareas", 200L),
                Frame.Popped.class);
        assertThat(whilePaused.message()).isNull();
        assertThat(depth(teacher, 4L)).isEqualTo(3);
        TestClient watcher = watcher();
        Frame.View paused = view(watcher, v -> v.connections().stream()
                .anyMatch(c -> "ana".equals(c.name()) && c.paused()));
        assertThat(paused.queues()).extracting(Picture.QueueBox::depth).containsExactly(3L);

        teacher.call(operate(5L, TOKEN, "resume", "ana"), Frame.Operated.class);
        List<String> taken = new ArrayList<>();
        for (long id = 20; id < 23; id++) {
            taken.add(ana.call(new Frame.Pop(id, "tareas", 1_000L), Frame.Popped.class)
                    .message().text());
        }
        assertThat(taken).containsExactly("tarea 10", "tarea 11", "tarea 12");
        assertThat(depth(teacher, 6L)).isZero();
        view(watcher, v -> v.queues().get(0).depth() == 0 && v.connections().stream()
                .noneMatch(Picture.Client::paused));
    }

    @Test
    void cuttingTheNodeOffShowsInTheViewHoldsDeliveriesAndRestoringRecovers() throws Exception {
        TestClient teacher = hello("profe");
        TestClient ana = hello("ana");
        ana.call(new Frame.Join(2L, "plaza", null, null), Frame.Joined.class);
        TestClient watcher = watcher();

        teacher.call(operate(3L, TOKEN, "cut", null), Frame.Operated.class);
        Frame.View cut = view(watcher, v -> v.nodes().get(0).cut());
        assertThat(cut.broker().reachable()).isFalse();
        assertThat(ana.callForError(new Frame.Send(4L, "plaza", "¿hola?", null)).code())
                .isEqualTo("broker_unavailable");
        long stored = broker.rooms().publish(Publish.chat("plaza", "luis",
                "desde otro nodo")).get(5, TimeUnit.SECONDS).offset();
        view(watcher, v -> v.nodes().get(0).deliveriesWaiting() == 1);

        teacher.call(operate(5L, TOKEN, "restore", null), Frame.Operated.class);
        Frame.MessageFrame held = (Frame.MessageFrame) ana.next(f ->
                f instanceof Frame.MessageFrame m && m.message().offset() == stored);
        assertThat(held.message().text()).isEqualTo("desde otro nodo");
        view(watcher, v -> !v.nodes().get(0).cut() && v.broker().reachable());
        assertThat(ana.call(new Frame.Send(6L, "plaza", "ya estoy", null), Frame.Ack.class)
                .message().offset()).isEqualTo(stored + 1);
    }

    @Test
    void simulatedProducersAndConsumersShowInTheViewUntilRemoved() {
        TestClient teacher = hello("profe");
        TestClient watcher = watcher();

        Frame.Operated producers = teacher.call(new Frame.Operate(2L, TOKEN, "simulate", null,
                "producer", null, "tareas", 20.0, 2), Frame.Operated.class);
        teacher.call(new Frame.Operate(3L, TOKEN, "simulate", null, "consumer", null,
                "tareas", null, 1), Frame.Operated.class);
        assertThat(producers.name()).isEqualTo("sim-prod-1 sim-prod-2");

        Frame.View busy = view(watcher, v -> v.edges().stream().anyMatch(e ->
                e.from().equals("queue:tareas") && e.total() >= 5));
        assertThat(busy.connections()).extracting(Picture.Client::name)
                .contains("sim-prod-1", "sim-prod-2", "sim-cons-3");
        assertThat(teacher.callForError(new Frame.Operate(4L, TOKEN, "simulate", null,
                "producer", "plaza", null, 1000.0, 1)).code()).isEqualTo("invalid_argument");

        teacher.call(operate(5L, TOKEN, "unsimulate", null), Frame.Operated.class);
        view(watcher, v -> v.connections().stream()
                .noneMatch(c -> c.name() != null && c.name().startsWith("sim-")));
    }

    @Test
    void restartingTheEmbeddedBrokerClosesItsSubscribersWhoResumeWithNothingLost(
            @TempDir Path dir) throws Exception {
        AtomicReference<MemoryBroker> running = new AtomicReference<>(EmbeddedBroker.open(dir));
        Operator operator = Operator.withToken(TOKEN).withRestart(() -> {
            running.get().close();
            running.set(EmbeddedBroker.open(dir));
            return new BrokerRestart.Restarted(running.get(), running.get());
        });
        Node embedded = Node.start(running.get(), running.get(), NodeSettings.defaults()
                .withHost("127.0.0.1").withPort(0), operator);
        try {
            TestClient ana = TestClient.hello(embedded.port(), "ana");
            clients.add(ana);
            Frame.Joined joined = ana.call(new Frame.Join(2L, "plaza", null, null),
                    Frame.Joined.class);
            Frame.Ack before = ana.call(new Frame.Send(3L, "plaza", "antes", null),
                    Frame.Ack.class);

            TestClient teacher = TestClient.connect(embedded.port());
            clients.add(teacher);
            teacher.call(new Frame.Hello(1L, null, 1), Frame.Welcome.class);
            Frame.Operated restarted = teacher.call(operate(4L, TOKEN, "restart_broker", null),
                    Frame.Operated.class);
            assertThat(restarted.detail()).startsWith("restarted in ");
            assertThat(ana.awaitClose()).isEqualTo(1011);

            TestClient again = TestClient.hello(embedded.port(), "ana");
            clients.add(again);
            Frame.Joined resumed = again.call(new Frame.Join(2L, "plaza",
                    new Frame.After(joined.epoch(), before.message().offset()), null),
                    Frame.Joined.class);
            assertThat(resumed.resume()).isEqualTo("complete");
            assertThat(again.call(new Frame.Send(3L, "plaza", "después", null), Frame.Ack.class)
                    .message().offset()).isGreaterThan(before.message().offset());
            assertThat(running.get().rooms().history("plaza", Long.MAX_VALUE, 10)
                    .get(5, TimeUnit.SECONDS)).extracting(m -> m.text()).contains("antes",
                    "después");
        } finally {
            embedded.close();
            running.get().close();
        }
    }

    @Test
    void refusesARestartOfABrokerItCannotRestart() {
        TestClient teacher = hello("profe");

        assertThat(teacher.callForError(operate(2L, TOKEN, "restart_broker", null)).code())
                .isEqualTo("invalid_argument");
        assertThat(teacher.call(new Frame.Send(3L, "plaza", "sigue", null), Frame.Ack.class)
                .message().text()).isEqualTo("sigue");
    }

    @Test
    void aSimulatedConsumerLivesThroughACutAndTakesWhatComesAfter() {
        TestClient teacher = hello("profe");
        TestClient watcher = watcher();
        teacher.call(new Frame.Operate(2L, TOKEN, "simulate", null, "consumer", null,
                "tareas", null, 1), Frame.Operated.class);
        view(watcher, v -> v.queues().stream().anyMatch(q -> q.consumers().size() == 1));

        teacher.call(operate(3L, TOKEN, "cut", null), Frame.Operated.class);
        view(watcher, v -> v.nodes().get(0).cut());
        teacher.call(operate(4L, TOKEN, "restore", null), Frame.Operated.class);
        teacher.call(new Frame.Push(5L, "tareas", "después del corte"), Frame.Pushed.class);

        view(watcher, v -> v.edges().stream().anyMatch(e -> e.from().equals("queue:tareas")
                && e.total() == 1) && v.queues().get(0).depth() == 0);
    }

    private static Frame.Operate operate(long id, String token, String action, String name) {
        return new Frame.Operate(id, token, action, name, null, null, null, null, null);
    }

    private static long depth(TestClient client, long id) {
        return client.call(new Frame.Depth(id, "tareas"), Frame.QueueDepth.class).depth();
    }

    @Test
    void simulatedClientsJoinANodeThatAsksForAToken() {
        MemoryBroker guarded = new MemoryBroker();
        try (Node locked = Node.start(guarded, guarded, NodeSettings.defaults()
                .withHost("127.0.0.1").withPort(0)
                .withGuards(Guards.defaults().withSecret("clave-de-clase")),
                Operator.withToken(TOKEN))) {
            URI url = URI.create("ws://127.0.0.1:" + locked.port() + "/ws?token=clave-de-clase");
            TestClient teacher = TestClient.connect(url, Map.of());
            clients.add(teacher);
            teacher.call(new Frame.Hello(1L, "profe", 1), Frame.Welcome.class);
            TestClient watcher = TestClient.connect(url, Map.of());
            clients.add(watcher);
            watcher.call(new Frame.Hello(1L, null, 1), Frame.Welcome.class);
            watcher.call(new Frame.Watch(2L), Frame.Watching.class);

            teacher.call(new Frame.Operate(2L, TOKEN, "simulate", null, "producer", "plaza",
                    null, 20.0, 1), Frame.Operated.class);

            Frame.View busy = view(watcher, v -> v.edges().stream().anyMatch(e ->
                    e.to().equals("room:plaza") && e.total() >= 3));
            assertThat(busy.connections()).extracting(Picture.Client::name)
                    .contains("sim-prod-1");
        } finally {
            guarded.close();
        }
    }

    private TestClient watcher() {
        TestClient watcher = TestClient.connect(node.port());
        clients.add(watcher);
        watcher.call(new Frame.Hello(1L, null, 1), Frame.Welcome.class);
        watcher.call(new Frame.Watch(2L), Frame.Watching.class);
        return watcher;
    }

    private static Frame.View view(TestClient watcher, Predicate<Frame.View> wanted) {
        return (Frame.View) watcher.next(f -> f instanceof Frame.View v && wanted.test(v));
    }

    private TestClient hello(String name) {
        TestClient client = TestClient.hello(node.port(), name);
        clients.add(client);
        return client;
    }
}
