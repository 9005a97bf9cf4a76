package io.cartero.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.client.ClientOptions;
import io.cartero.client.NodeClient;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.node.Node;
import io.cartero.node.NodeSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * A stateful property: random sequences of joins, publishes, dropped connections, node
 * restarts and broker restarts, run against a real node, real reconnecting clients and a
 * model. What each client sees of each room it joined must be the model's conversation:
 * every acknowledged message once and in order, or, where the client was told that history
 * was lost (here: when the memory broker restarts empty), a gap that covers only messages it
 * had not received yet.
 */
class ConversationPropertyTest {
    private static final int CLIENTS = 3;
    private static final List<String> ROOMS = List.of("sala-a", "sala-b");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GAP = "<history lost>";

    private World world;

    @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
    void everyClientSeesTheModelsConversation(@ForAll("scenarios") List<Step> steps)
            throws Exception {
        world = new World();
        for (Step step : steps) {
            step.run(world);
        }

        world.awaitConvergence();
        for (Member member : world.members) {
            for (String room : member.joined.keySet()) {
                assertConversation(member.seen(room), member.expected(room),
                        member.name + " in " + room + " after " + steps);
            }
        }
    }

    /**
     * The promise, checked: split at the announced gaps, what the client saw has as many
     * parts as the model; before each gap it saw the start of that part of the conversation,
     * once each and in order (the gap covers the rest, which the restart took); after the
     * last gap it saw all of it.
     */
    private static void assertConversation(List<String> seen, List<String> expected,
            String description) {
        List<List<String>> seenParts = splitAtGaps(seen);
        List<List<String>> expectedParts = splitAtGaps(expected);
        assertThat(seenParts).as("gaps announced to %s: %s", description, seen)
                .hasSameSizeAs(expectedParts);
        int last = expectedParts.size() - 1;
        for (int i = 0; i < last; i++) {
            List<String> before = seenParts.get(i);
            List<String> whole = expectedParts.get(i);
            assertThat(before).as("part %d of %s: saw %s", i, description, seen)
                    .hasSizeLessThanOrEqualTo(whole.size());
            assertThat(before).as("part %d of %s: saw %s", i, description, seen)
                    .containsExactlyElementsOf(whole.subList(0, before.size()));
        }
        assertThat(seenParts.get(last)).as("last part of %s: saw %s", description, seen)
                .containsExactlyElementsOf(expectedParts.get(last));
    }

    private static List<List<String>> splitAtGaps(List<String> events) {
        List<List<String>> parts = new ArrayList<>();
        parts.add(new ArrayList<>());
        for (String event : events) {
            if (GAP.equals(event)) {
                parts.add(new ArrayList<>());
            } else {
                parts.get(parts.size() - 1).add(event);
            }
        }
        return parts;
    }

    /** A scenario this property once found: the broker restarts while a client reconnects. */
    @Example
    void aClientStillReconnectingWhenTheBrokerRestartsIsToldOfTheGap() throws Exception {
        everyClientSeesTheModelsConversation(List.of(new Send(0, "sala-a"), new RestartNode(),
                new Send(2, "sala-a"), new RestartBroker(), new Join(0, "sala-b"), new Cut(2),
                new Send(0, "sala-b")));
    }

    @AfterTry
    void closeWorld() {
        if (world != null) {
            world.close();
            world = null;
        }
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<Integer> client = Arbitraries.integers().between(0, CLIENTS - 1);
        Arbitrary<String> room = Arbitraries.of(ROOMS);
        Arbitrary<Step> join = Combinators.combine(client, room).as(Join::new);
        Arbitrary<Step> publish = Combinators.combine(client, room).as(Send::new);
        Arbitrary<Step> sendWhileCut = Combinators.combine(client, room).as(SendWhileCut::new);
        Arbitrary<Step> cut = client.map(Cut::new);
        Arbitrary<Step> restartNode = Arbitraries.just(new RestartNode());
        Arbitrary<Step> restartBroker = Arbitraries.just(new RestartBroker());
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(3, join),
                Tuple.of(6, publish),
                Tuple.of(2, sendWhileCut),
                Tuple.of(2, cut),
                Tuple.of(1, restartNode),
                Tuple.of(1, restartBroker));
        return step.list().ofMinSize(4).ofMaxSize(18);
    }

    /** One step of a scenario. */
    interface Step {
        void run(World world) throws Exception;
    }

    /** A client joins a room (from now on it must see every message of it). */
    record Join(int client, String room) implements Step {
        @Override
        public void run(World world) throws Exception {
            world.members.get(client).join(room);
        }
    }

    /** A client that joined the room sends a message and waits for its acknowledgement. */
    record Send(int client, String room) implements Step {
        @Override
        public void run(World world) throws Exception {
            Member member = world.members.get(client);
            member.join(room);
            world.acknowledged(member.send(room).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /**
     * A client sends a message and its connection is cut right after: the message must be
     * stored once, whether the cut came before the node got it or before the acknowledgement
     * came back.
     */
    record SendWhileCut(int client, String room) implements Step {
        @Override
        public void run(World world) throws Exception {
            Member member = world.members.get(client);
            member.join(room);
            CompletableFuture<Message> sent = member.send(room);
            member.proxy.cut();
            world.acknowledged(sent.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** The network between one client and the node breaks; the client reconnects. */
    record Cut(int client) implements Step {
        @Override
        public void run(World world) {
            world.members.get(client).proxy.cut();
        }
    }

    /** The node stops and starts again on the same broker: nothing is lost. */
    record RestartNode() implements Step {
        @Override
        public void run(World world) throws InterruptedException {
            world.restartNode(false);
        }
    }

    /** The node and its memory broker restart: history is gone and clients are told. */
    record RestartBroker() implements Step {
        @Override
        public void run(World world) throws InterruptedException {
            world.restartNode(true);
        }
    }

    /** The node, its broker and the clients of one try, and the model they are held to. */
    static final class World implements AutoCloseable {
        private final List<Member> members = new ArrayList<>();
        private MemoryBroker broker = new MemoryBroker();
        private Node node;
        private int port;
        private int sequence;

        World() throws IOException {
            node = Node.start(broker, broker, settings(0));
            port = node.port();
            for (int i = 0; i < CLIENTS; i++) {
                TcpProxy proxy = new TcpProxy(port);
                URI url = URI.create("ws://127.0.0.1:" + proxy.port());
                members.add(new Member("cliente" + i, proxy, url, this));
            }
        }

        String nextText() {
            return "m" + ++sequence;
        }

        /** The model: an acknowledged message goes to every member that joined its room. */
        void acknowledged(Message message) {
            for (Member member : members) {
                List<String> expected = member.joined.get(message.room());
                if (expected != null) {
                    expected.add(message.text());
                }
            }
        }

        void restartNode(boolean emptyBroker) throws InterruptedException {
            node.close();
            if (emptyBroker) {
                broker.close();
                broker = new MemoryBroker();
                for (Member member : members) {
                    member.joined.values().forEach(expected -> expected.add(GAP));
                }
            }
            node = Node.start(broker, broker, settings(port));
            if (emptyBroker) {
                awaitGapsAnnounced();
            }
        }

        /** Waits until every member has been told of the gap of a broker restart. */
        private void awaitGapsAnnounced() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline
                    && !members.stream().allMatch(Member::toldEveryGap)) {
                Thread.sleep(20);
            }
        }

        /**
         * Waits until every member has at least as many events as the model expects, or the
         * wait is over; the comparison that follows then shows what differs.
         */
        void awaitConvergence() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline
                    && !members.stream().allMatch(Member::caughtUp)) {
                Thread.sleep(50);
            }
        }

        private static NodeSettings settings(int port) {
            return NodeSettings.defaults().withHost("127.0.0.1").withPort(port);
        }

        @Override
        public void close() {
            for (Member member : members) {
                member.close();
            }
            node.close();
            broker.close();
        }
    }

    /** One reconnecting client, what it saw and what the model says it must see. */
    static final class Member implements AutoCloseable {
        private final String name;
        private final TcpProxy proxy;
        private final NodeClient client;
        private final World world;
        /** Per joined room, the conversation the model expects; touched by the test thread. */
        private final Map<String, List<String>> joined = new HashMap<>();
        /** Per joined room, what the client saw; written by the client's delivery lanes. */
        private final Map<String, List<String>> seen = new HashMap<>();

        Member(String name, TcpProxy proxy, URI url, World world) {
            this.name = name;
            this.proxy = proxy;
            this.world = world;
            this.client = NodeClient.connect(List.of(url), name, ClientOptions.defaults()
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .withHeartbeat(Duration.ofMillis(500), Duration.ofSeconds(2)));
        }

        void join(String room) throws Exception {
            if (joined.containsKey(room)) {
                return;
            }
            List<String> log = new CopyOnWriteArrayList<>();
            seen.put(room, log);
            joined.put(room, new ArrayList<>());
            client.rooms().subscribe(room, Position.now(), new Recorder(log))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        CompletableFuture<Message> send(String room) {
            return client.rooms().publish(Publish.chat(room, name, world.nextText()));
        }

        List<String> seen(String room) {
            return List.copyOf(seen.get(room));
        }

        List<String> expected(String room) {
            return List.copyOf(joined.get(room));
        }

        boolean toldEveryGap() {
            return joined.keySet().stream().allMatch(room -> count(seen(room), GAP)
                    == count(expected(room), GAP));
        }

        /** Whether every room shows the model's gaps and the whole part after the last one. */
        boolean caughtUp() {
            return joined.keySet().stream().allMatch(room -> {
                List<List<String>> seenParts = splitAtGaps(seen(room));
                List<List<String>> expectedParts = splitAtGaps(expected(room));
                return seenParts.size() >= expectedParts.size()
                        && seenParts.get(seenParts.size() - 1).size()
                        >= expectedParts.get(expectedParts.size() - 1).size();
            });
        }

        private static long count(List<String> events, String event) {
            return events.stream().filter(event::equals).count();
        }

        @Override
        public void close() {
            client.close();
            proxy.close();
        }
    }

    /** Records the chat messages of one room and every announced gap, in order. */
    private record Recorder(List<String> log) implements RoomListener {
        @Override
        public void onMessage(Message message) {
            if (message.kind() == Kind.CHAT) {
                log.add(message.text());
            }
        }

        @Override
        public void onHistoryLost(String room, String epoch, long nextOffset) {
            log.add(GAP);
        }
    }
}
