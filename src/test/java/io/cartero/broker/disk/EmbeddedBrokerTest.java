package io.cartero.broker.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerContract;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.broker.Resume;
import io.cartero.broker.Subscription;
import io.cartero.broker.Taken;
import io.cartero.broker.memory.MemoryBroker;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker contract for the embedded broker (a fresh data directory per broker), and what
 * it adds: history, epochs, idempotency keys and queues that survive a restart, retention on
 * disk, torn tails set aside, and clear errors for directories it cannot use.
 */
class EmbeddedBrokerTest extends BrokerContract {
    private static final AtomicInteger DIRECTORIES = new AtomicInteger();

    @TempDir
    Path temp;

    @Override
    protected Broker newBroker() {
        return EmbeddedBroker.open(freshDirectory());
    }

    @Override
    protected Broker newBroker(int retention) {
        return EmbeddedBroker.open(freshDirectory(),
                MemoryBroker.Settings.defaults().withRetention(retention), FsyncPolicy.INTERVAL);
    }

    @Test
    void describesItselfByItsDirectory() {
        Path dir = freshDirectory();
        try (MemoryBroker embedded = EmbeddedBroker.open(dir)) {
            assertThat(embedded.describe()).isEqualTo("embedded:" + dir.toAbsolutePath());
        }
    }

    @Test
    void historyEpochAndOffsetsContinueAfterARestart() throws Exception {
        Path dir = freshDirectory();
        List<Message> before;
        try (MemoryBroker first = EmbeddedBroker.open(dir)) {
            before = publishMany(first, "general", 5);
        }

        try (MemoryBroker second = EmbeddedBroker.open(dir)) {
            assertThat(get(second.rooms().history("general", Long.MAX_VALUE, 100)))
                    .containsExactlyElementsOf(before);
            Message next = publish(second, "general", "after");
            assertThat(next.offset()).isEqualTo(6);
            assertThat(next.epoch()).isEqualTo(before.get(0).epoch());
        }
    }

    @Test
    void aClientResumingAfterARestartGetsWhatItMissed() throws Exception {
        Path dir = freshDirectory();
        String epoch;
        try (MemoryBroker first = EmbeddedBroker.open(dir)) {
            epoch = publishMany(first, "general", 8).get(0).epoch();
        }
        Recorder recorder = new Recorder();

        try (MemoryBroker second = EmbeddedBroker.open(dir)) {
            Subscription resumed = get(second.rooms().subscribe("general",
                    Position.after(epoch, 5), recorder));

            assertThat(resumed.resume()).isEqualTo(new Resume(Resume.Status.COMPLETE, epoch, 8));
            recorder.awaitMessages(3, WAIT);
            assertThat(recorder.offsets()).containsExactly(6L, 7L, 8L);
        }
    }

    @Test
    void aWipedDirectoryGivesANewEpochAndResumingIsToldHistoryWasLost() throws Exception {
        Path dir = freshDirectory();
        String epoch;
        try (MemoryBroker first = EmbeddedBroker.open(dir)) {
            epoch = publishMany(first, "general", 3).get(0).epoch();
        }
        deleteTree(dir);

        try (MemoryBroker wiped = EmbeddedBroker.open(dir)) {
            Message fresh = publish(wiped, "general", "hola");
            Subscription resumed = get(wiped.rooms().subscribe("general",
                    Position.after(epoch, 3), new Recorder()));

            assertThat(fresh.epoch()).isNotEqualTo(epoch);
            assertThat(fresh.offset()).isEqualTo(1);
            assertThat(resumed.resume().status()).isEqualTo(Resume.Status.LOST);
        }
    }

    @Test
    void aRetryWithTheSameKeyAfterARestartReturnsTheFirstMessage() throws Exception {
        Path dir = freshDirectory();
        Publish request = Publish.chat("general", "ana", "una vez").withKey("k-1");
        Message first;
        try (MemoryBroker before = EmbeddedBroker.open(dir)) {
            first = get(before.rooms().publish(request));
        }

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            Message retried = get(after.rooms().publish(request));

            assertThat(retried).isEqualTo(first);
            assertThat(get(after.rooms().history("general", Long.MAX_VALUE, 10))).hasSize(1);
        }
    }

    @Test
    void queuesComeBackWithUnconfirmedTakesAtTheHead() throws Exception {
        Path dir = freshDirectory();
        try (MemoryBroker before = EmbeddedBroker.open(dir)) {
            for (String text : List.of("a", "b", "c", "d")) {
                get(before.queues().push("tareas", "ana", text));
            }
            get(before.queues().pop("tareas", Duration.ZERO));
            get(before.queues().take("tareas", Duration.ZERO, LEASE));
            Taken confirmed = get(before.queues().take("tareas", Duration.ZERO, LEASE))
                    .orElseThrow();
            assertThat(get(before.queues().confirm("tareas", confirmed.receipt()))).isTrue();
        }

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(get(after.queues().depth("tareas"))).isEqualTo(2);
            Taken again = get(after.queues().take("tareas", Duration.ZERO, LEASE)).orElseThrow();
            assertThat(again.message().text()).isEqualTo("b");
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(get(after.queues().pop("tareas", Duration.ZERO)))
                    .map(QueueMessage::text).contains("d");
        }
    }

    @Test
    void aLeaseThatEndedBeforeARestartStaysAtTheHead() throws Exception {
        Path dir = freshDirectory();
        try (MemoryBroker before = EmbeddedBroker.open(dir)) {
            get(before.queues().push("tareas", "ana", "uno"));
            get(before.queues().push("tareas", "ana", "dos"));
            get(before.queues().take("tareas", Duration.ZERO, Taken.SHORTEST_LEASE));
            org.awaitility.Awaitility.await().atMost(WAIT)
                    .until(() -> get(before.queues().depth("tareas")) == 2);
        }

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            Taken again = get(after.queues().take("tareas", Duration.ZERO, LEASE)).orElseThrow();
            assertThat(again.message().text()).isEqualTo("uno");
            assertThat(again.attempt()).isEqualTo(2);
        }
    }

    @Test
    void aBusyQueueIsCompactedAndKeepsItsMessages() throws Exception {
        Path dir = freshDirectory();
        int rounds = QueueFiles.COMPACT_AFTER;
        try (MemoryBroker before = EmbeddedBroker.open(dir)) {
            get(before.queues().push("tareas", "ana", "keep"));
            for (int i = 0; i < rounds; i++) {
                get(before.queues().push("tareas", "ana", "m" + i));
                get(before.queues().pop("tareas", Duration.ZERO));
            }
        }

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(segments(dir.resolve("queues/tareas"))).hasSize(1);
            assertThat(get(after.queues().depth("tareas"))).isEqualTo(1);
            assertThat(get(after.queues().pop("tareas", Duration.ZERO)))
                    .map(QueueMessage::text).contains("m" + (rounds - 1));
        }
    }

    @Test
    void retentionDeletesWholeOldSegmentsAndKeepsAtLeastTheRetention() throws Exception {
        Path dir = freshDirectory();
        MemoryBroker.Settings settings = MemoryBroker.Settings.defaults().withRetention(8);
        try (MemoryBroker before = EmbeddedBroker.open(dir, settings, FsyncPolicy.INTERVAL)) {
            publishMany(before, "general", 50);
        }

        Path room = dir.resolve("rooms/general");
        assertThat(segments(room)).hasSizeBetween(4, 6);
        assertThat(segments(room).get(0).getFileName().toString())
                .isNotEqualTo("00000000000000000001.log");
        try (MemoryBroker after = EmbeddedBroker.open(dir, settings, FsyncPolicy.INTERVAL)) {
            List<Message> kept = get(after.rooms().history("general", Long.MAX_VALUE, 100));
            assertThat(kept).extracting(Message::offset).containsExactlyElementsOf(range(43, 50));
        }
    }

    @Test
    void fsyncAlwaysKeepsConcurrentPublishesInOrder() throws Exception {
        Path dir = freshDirectory();
        try (MemoryBroker always = EmbeddedBroker.open(dir, MemoryBroker.Settings.defaults(),
                FsyncPolicy.ALWAYS)) {
            List<Thread> publishers = Stream.of("p1", "p2", "p3", "p4")
                    .map(sender -> new Thread(() -> publishQuietly(always, sender, 50)))
                    .toList();
            publishers.forEach(Thread::start);
            for (Thread publisher : publishers) {
                publisher.join(LONG_WAIT.toMillis());
            }
        }

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(get(after.rooms().history("general", Long.MAX_VALUE, 1_000)))
                    .extracting(Message::offset).containsExactlyElementsOf(range(1, 200));
        }
    }

    // ---------------------------------------------------------------- torn and corrupt tails

    @Test
    void garbageAfterTheLastRecordIsSetAside() throws Exception {
        Path dir = freshDirectory();
        Tail tail = threeMessages(dir);
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7};
        Files.write(tail.segment(), garbage, StandardOpenOption.APPEND);

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(offsets(after)).containsExactly(1L, 2L, 3L);
            assertThat(publish(after, "general", "next").offset()).isEqualTo(4);
        }
        assertThat(Files.readAllBytes(aside(tail.segment()))).isEqualTo(garbage);
        assertThat(Files.size(tail.segment())).isGreaterThan(tail.full());
    }

    @Test
    void aRecordCutInHalfIsSetAsideAndTheOnesBeforeItAreKept() throws Exception {
        Path dir = freshDirectory();
        Tail tail = threeMessages(dir);
        byte[] whole = Files.readAllBytes(tail.segment());
        int cut = (int) (tail.beforeLast() + (tail.full() - tail.beforeLast()) / 2);
        Files.write(tail.segment(), Arrays.copyOf(whole, cut));

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(offsets(after)).containsExactly(1L, 2L);
            assertThat(publish(after, "general", "next").offset()).isEqualTo(3);
        }
        assertThat(Files.readAllBytes(aside(tail.segment())))
                .isEqualTo(Arrays.copyOfRange(whole, (int) tail.beforeLast(), cut));
    }

    @Test
    void aRecordWithABadChecksumIsSetAside() throws Exception {
        Path dir = freshDirectory();
        Tail tail = threeMessages(dir);
        byte[] whole = Files.readAllBytes(tail.segment());
        whole[(int) tail.beforeLast() + 5] ^= 0x40;
        Files.write(tail.segment(), whole);

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(offsets(after)).containsExactly(1L, 2L);
            Message next = publish(after, "general", "next");
            assertThat(next.offset()).isEqualTo(3);
        }
        assertThat(Files.readAllBytes(aside(tail.segment())))
                .isEqualTo(Arrays.copyOfRange(whole, (int) tail.beforeLast(), whole.length));
        try (MemoryBroker again = EmbeddedBroker.open(dir)) {
            assertThat(offsets(again)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aTornQueueTailIsSetAsideAndTheQueueKeepsItsMessages() throws Exception {
        Path dir = freshDirectory();
        try (MemoryBroker before = EmbeddedBroker.open(dir)) {
            for (String text : List.of("uno", "dos", "tres")) {
                get(before.queues().push("tareas", "ana", text));
            }
        }
        Path segment = dir.resolve("queues/tareas/00000000000000000001.log");
        byte[] torn = {0, 0, 0, 42, 9, 9};
        Files.write(segment, torn, StandardOpenOption.APPEND);

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(get(after.queues().depth("tareas"))).isEqualTo(3);
            get(after.queues().push("tareas", "ana", "cuatro"));
            assertThat(get(after.queues().pop("tareas", Duration.ZERO)))
                    .map(QueueMessage::text).contains("uno");
        }
        assertThat(Files.readAllBytes(aside(segment))).isEqualTo(torn);
        try (MemoryBroker again = EmbeddedBroker.open(dir)) {
            assertThat(get(again.queues().depth("tareas"))).isEqualTo(3);
        }
    }

    @Test
    void aSegmentTooShortForItsHeaderIsSetAsideWhole() throws Exception {
        Path dir = freshDirectory();
        try (MemoryBroker before = EmbeddedBroker.open(dir)) {
            publishMany(before, "general", 2);
        }
        Path half = dir.resolve("rooms/general/00000000000000000003.log");
        Files.write(half, new byte[] {0x43, 0x52, 0x54});

        try (MemoryBroker after = EmbeddedBroker.open(dir)) {
            assertThat(offsets(after)).containsExactly(1L, 2L);
            assertThat(publish(after, "general", "next").offset()).isEqualTo(3);
        }
        assertThat(Files.readAllBytes(aside(half))).containsExactly(0x43, 0x52, 0x54);
    }

    // ---------------------------------------------------------------- directories it cannot use

    @Test
    void aDamagedSegmentHeaderIsAClearError() throws Exception {
        Path dir = freshDirectory();
        Tail tail = threeMessages(dir);
        byte[] whole = Files.readAllBytes(tail.segment());
        whole[10] ^= 0x01;
        Files.write(tail.segment(), whole);

        assertThatThrownBy(() -> EmbeddedBroker.open(dir)).isInstanceOf(BrokerException.class)
                .hasMessageContaining(tail.segment().toString()).hasMessageContaining("header");
        assertThat(Files.readAllBytes(tail.segment())).isEqualTo(whole);
    }

    @Test
    void aFileInsteadOfADirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> EmbeddedBroker.open(file)).isInstanceOf(BrokerException.class)
                .hasMessageContaining("data directory").hasMessageContaining(file.toString());
    }

    @Test
    void aDirectoryInUseIsRefusedUntilClosed() {
        Path dir = freshDirectory();
        MemoryBroker first = EmbeddedBroker.open(dir);

        assertThatThrownBy(() -> EmbeddedBroker.open(dir)).isInstanceOf(BrokerException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("in use");
        first.close();
        EmbeddedBroker.open(dir).close();
    }

    @Test
    void roomNamesWithDotsStayInsideTheDirectory() throws Exception {
        Path dir = freshDirectory();
        try (MemoryBroker embedded = EmbeddedBroker.open(dir)) {
            publish(embedded, "..", "hola");
        }

        assertThat(dir.resolve("rooms/%2E%2E")).isDirectory();
        try (MemoryBroker again = EmbeddedBroker.open(dir)) {
            assertThat(get(again.rooms().history("..", Long.MAX_VALUE, 10))).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Path freshDirectory() {
        return temp.resolve("data-" + DIRECTORIES.incrementAndGet());
    }

    /** Publishes three messages to {@code general} and notes where the last one starts. */
    private static Tail threeMessages(Path dir) throws Exception {
        Path segment = dir.resolve("rooms/general/00000000000000000001.log");
        long beforeLast;
        try (MemoryBroker embedded = EmbeddedBroker.open(dir)) {
            publishMany(embedded, "general", 2);
            beforeLast = Files.size(segment);
            publish(embedded, "general", "the last one");
        }
        return new Tail(segment, beforeLast, Files.size(segment));
    }

    private static List<Long> offsets(Broker target) throws Exception {
        return get(target.rooms().history("general", Long.MAX_VALUE, 100)).stream()
                .map(Message::offset).toList();
    }

    private static Path aside(Path segment) throws IOException {
        try (Stream<Path> files = Files.list(segment.getParent())) {
            List<Path> aside = files.filter(f -> f.getFileName().toString()
                    .startsWith(segment.getFileName() + ".corrupt-")).toList();
            assertThat(aside).hasSize(1);
            return aside.get(0);
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
    }

    private static void publishQuietly(Broker target, String sender, int count) {
        try {
            for (int i = 0; i < count; i++) {
                get(target.rooms().publish(Publish.chat("general", sender, "m" + i)));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(file);
            }
        }
    }

    /** A segment with three messages: where the last record starts, and the file's size. */
    private record Tail(Path segment, long beforeLast, long full) {
    }
}
