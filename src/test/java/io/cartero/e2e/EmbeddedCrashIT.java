package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Resume;
import io.cartero.broker.Subscription;
import io.cartero.client.ClientOptions;
import io.cartero.client.NodeClient;
import io.cartero.message.Message;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Fault test 1: the embedded node killed with {@code kill -9} in the middle of traffic and
 * restarted on the same data directory loses no acknowledged message, and subscribers that
 * resume from the last offset they saw get every missing message exactly once.
 */
class EmbeddedCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROOM = "crash";
    /** About 200 messages a second. */
    private static final long PAUSE_MILLIS = 5;
    private static final int ACKS_BEFORE_THE_KILL = 300;
    private static final int SUBSCRIBERS = 3;
    /** The largest history page a node serves. */
    private static final int PAGE = 500;

    @Test
    void everyAcknowledgedMessageSurvivesKillNineAndResumingSubscribersMissNothing()
            throws Exception {
        Path data = RunningServer.freshDataDirectory();
        Publisher publisher;
        List<Recorder> before = new ArrayList<>();
        try (RunningServer node = RunningServer.start("--data=" + data);
                NodeClient sender = connect(node, "pub")) {
            List<NodeClient> listeners = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                NodeClient listener = connect(node, null);
                listeners.add(listener);
                Recorder recorder = new Recorder();
                listener.rooms().subscribe(ROOM, Position.now(), recorder)
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                before.add(recorder);
            }
            publisher = new Publisher(sender);
            publisher.start();
            publisher.awaitAcks(ACKS_BEFORE_THE_KILL);

            node.process.kill();
            publisher.awaitAnswers();
            listeners.forEach(NodeClient::close);
        }

        try (RunningServer restarted = RunningServer.start("--data=" + data);
                NodeClient reader = connect(restarted, "pub")) {
            Map<String, Message> acked = publisher.acked();
            List<Message> history = fullHistory(reader);
            assertThat(history).extracting(Message::offset)
                    .containsExactlyElementsOf(range(1, history.size()));
            assertThat(history).containsAll(acked.values());

            List<Message> retried = publisher.retryUnanswered(reader);
            List<Message> complete = fullHistory(reader);
            assertThat(complete).extracting(Message::text).doesNotHaveDuplicates()
                    .containsAll(retried.stream().map(Message::text).toList());
            long last = complete.get(complete.size() - 1).offset();

            for (Recorder seen : before) {
                resumeAndCheck(restarted, seen, last);
            }
        }
    }

    /** Resumes after what {@code seen} got, and checks that both together are 1..last once. */
    private static void resumeAndCheck(RunningServer node, Recorder seen, long last)
            throws Exception {
        List<Message> first = seen.messages();
        assertThat(first).isNotEmpty();
        Message lastSeen = first.get(first.size() - 1);
        Recorder rest = new Recorder();
        try (NodeClient listener = connect(node, null)) {
            Subscription resumed = listener.rooms().subscribe(ROOM,
                    Position.after(lastSeen.epoch(), lastSeen.offset()), rest)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(resumed.resume().status()).isEqualTo(Resume.Status.COMPLETE);
            rest.awaitMessages((int) (last - lastSeen.offset()), WAIT);
            List<Long> all = new ArrayList<>(seen.offsets());
            all.addAll(rest.offsets());
            assertThat(all).containsExactlyElementsOf(range(1, last));
            assertThat(rest.losses()).isEmpty();
        }
    }

    /** Every message of the room, oldest first, read in pages as the node allows. */
    private static List<Message> fullHistory(NodeClient client) throws Exception {
        List<Message> all = new ArrayList<>();
        long before = Long.MAX_VALUE;
        for (int page = 0; page < 100; page++) {
            List<Message> older = client.rooms().history(ROOM, before, PAGE)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            all.addAll(0, older);
            if (older.size() < PAGE || older.get(0).offset() == 1) {
                break;
            }
            before = older.get(0).offset();
        }
        return all;
    }

    /**
     * A client of {@code node} that stops trying to reconnect a second after losing it, so
     * that the requests in flight when the node is killed fail instead of waiting for it.
     */
    private static NodeClient connect(RunningServer node, String name) {
        return NodeClient.connect(List.of(URI.create(node.url())), name,
                ClientOptions.defaults().withConnectTimeout(WAIT)
                        .withGiveUpAfter(Duration.ofSeconds(1)));
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    /**
     * Publishes about 200 messages a second without waiting for each answer, each with an
     * idempotency key of its own, until a publish fails (the node died). Records every
     * acknowledged message, and every request that got no answer.
     */
    private static final class Publisher extends Thread {
        private final NodeClient sender;
        /** Acknowledged messages by text. */
        private final Map<String, Message> acked = new ConcurrentHashMap<>();
        /** Requests that failed: the node died before answering them. */
        private final List<Publish> unanswered = new CopyOnWriteArrayList<>();
        private final CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_THE_KILL);
        private final List<CompletableFuture<?>> sent = new ArrayList<>();

        Publisher(NodeClient sender) {
            super("crash-publisher");
            this.sender = sender;
            setDaemon(true);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            for (int i = 0; i < 100_000 && unanswered.isEmpty(); i++) {
                Publish request = Publish.chat(ROOM, "pub", "m" + i)
                        .withKey(UUID.randomUUID().toString());
                sent.add(sender.rooms().publish(request).whenComplete((stored, failure) -> {
                    if (failure == null) {
                        acked.put(stored.text(), stored);
                        enough.countDown();
                    } else {
                        unanswered.add(request);
                    }
                }));
                if (!pace(start, i + 1)) {
                    return;
                }
            }
        }

        /** Waits until message {@code count} is due; false if interrupted. */
        private static boolean pace(long start, int count) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(count * PAUSE_MILLIS);
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void awaitAcks(int count) throws InterruptedException {
            assertThat(enough.await(30, TimeUnit.SECONDS)).as("%s acks", count).isTrue();
        }

        /** Waits until every request sent has its answer or its failure. */
        void awaitAnswers() throws InterruptedException {
            join(WAIT.toMillis());
            for (CompletableFuture<?> each : sent) {
                each.handle((value, failure) -> null).orTimeout(WAIT.toSeconds(),
                        TimeUnit.SECONDS).join();
            }
        }

        Map<String, Message> acked() {
            return Map.copyOf(acked);
        }

        /** Sends again, with their keys, the requests that got no answer; the stored ones. */
        List<Message> retryUnanswered(NodeClient client) throws Exception {
            List<Message> stored = new ArrayList<>();
            for (Publish request : unanswered) {
                stored.add(client.rooms().publish(request).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS));
            }
            return stored;
        }
    }
}
