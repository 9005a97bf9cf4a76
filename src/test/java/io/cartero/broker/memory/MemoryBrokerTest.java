package io.cartero.broker.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerContract;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Recorder;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The broker contract, and what only the memory broker promises, for {@link MemoryBroker}. */
class MemoryBrokerTest extends BrokerContract {

    @Override
    protected Broker newBroker() {
        return new MemoryBroker();
    }

    @Override
    protected Broker newBroker(int retention) {
        return new MemoryBroker(MemoryBroker.Settings.defaults().withRetention(retention));
    }

    @Test
    void describesItselfAsMemory() {
        assertThat(broker.describe()).isEqualTo("memory");
    }

    @Test
    void epochsAreTenLowercaseBase32Characters() throws Exception {
        Message first = publish(broker, "general", "hola");
        Message other = publish(broker, "otra", "hola");

        assertThat(first.epoch()).matches("[a-z2-7]{10}");
        assertThat(other.epoch()).matches("[a-z2-7]{10}").isNotEqualTo(first.epoch());
    }

    @Test
    void sentAtIsTheBrokersTime() throws Exception {
        ManualClock clock = new ManualClock(1_764_776_527_000L);
        try (MemoryBroker timed = new MemoryBroker(MemoryBroker.Settings.defaults(), clock)) {
            Message stored = publish(timed, "general", "hola");
            QueueMessage pushed = get(timed.queues().push("tareas", "ana", "hola"));

            assertThat(stored.sentAt()).isEqualTo(1_764_776_527_000L);
            assertThat(pushed.sentAt()).isEqualTo(1_764_776_527_000L);
        }
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterTheWindow() throws Exception {
        ManualClock clock = new ManualClock(0);
        MemoryBroker.Settings settings = MemoryBroker.Settings.defaults()
                .withIdempotencyWindow(Duration.ofMinutes(10));
        try (MemoryBroker timed = new MemoryBroker(settings, clock)) {
            Publish request = Publish.chat("general", "ana", "hola").withKey("k");
            Message first = get(timed.rooms().publish(request));

            clock.advance(Duration.ofMinutes(10).minusMillis(1));
            Message within = get(timed.rooms().publish(request));
            clock.advance(Duration.ofMillis(1));
            Message after = get(timed.rooms().publish(request));

            assertThat(within).isEqualTo(first);
            assertThat(after.offset()).isEqualTo(2);
        }
    }

    @Test
    void theOldestIdempotencyKeysAreForgottenBeyondTheBound() throws Exception {
        MemoryBroker.Settings settings = MemoryBroker.Settings.defaults().withIdempotencyKeys(2);
        try (MemoryBroker bounded = new MemoryBroker(settings)) {
            for (String key : List.of("a", "b", "c")) {
                get(bounded.rooms().publish(Publish.chat("general", "ana", key).withKey(key)));
            }

            Message again = get(bounded.rooms().publish(
                    Publish.chat("general", "ana", "a").withKey("a")));
            Message remembered = get(bounded.rooms().publish(
                    Publish.chat("general", "ana", "c").withKey("c")));

            assertThat(again.offset()).isEqualTo(4);
            assertThat(remembered.offset()).isEqualTo(3);
        }
    }

    @Test
    void waitingPopsAreServedInArrivalOrder() throws Exception {
        CompletableFuture<Optional<QueueMessage>> first = broker.queues().pop("tareas", WAIT);
        CompletableFuture<Optional<QueueMessage>> second = broker.queues().pop("tareas", WAIT);

        get(broker.queues().push("tareas", "ana", "uno"));
        get(broker.queues().push("tareas", "ana", "dos"));

        assertThat(get(first)).map(QueueMessage::text).contains("uno");
        assertThat(get(second)).map(QueueMessage::text).contains("dos");
    }

    @Test
    void aPopThatGotItsMessageCannotBeCancelled() throws Exception {
        get(broker.queues().push("tareas", "ana", "uno"));

        CompletableFuture<Optional<QueueMessage>> pop = broker.queues().pop("tareas", WAIT);

        assertThat(pop.cancel(false)).isFalse();
        assertThat(get(pop)).map(QueueMessage::text).contains("uno");
    }

    @Test
    void aWaitingPopCanBeCancelledOnce() {
        CompletableFuture<Optional<QueueMessage>> pop = broker.queues().pop("tareas", WAIT);

        assertThat(pop.cancel(false)).isTrue();
        assertThat(pop.cancel(false)).isTrue();
        assertThat(pop.complete(Optional.empty())).isFalse();
        assertThat(pop).isCancelled();
    }

    @Test
    void closingDoesNotWaitForABlockedListener() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder blocked = new Recorder() {
            @Override
            public void onMessage(Message message) {
                super.onMessage(message);
                awaitQuietly(release);
            }
        };
        get(broker.rooms().subscribe("general", Position.now(), blocked));
        publish(broker, "general", "hola");
        blocked.awaitMessages(1, WAIT);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(broker::close);

        assertThat(closing).succeedsWithin(WAIT);
        assertThat(blocked.ended()).isNotDone();
        release.countDown();
        assertThat(blocked.ended()).succeedsWithin(WAIT).isInstanceOf(BrokerException.class);
    }

    @Test
    void aPopCompletedFromOutsideTakesNothing() throws Exception {
        CompletableFuture<Optional<QueueMessage>> pop = broker.queues().pop("tareas", WAIT);

        pop.complete(Optional.empty());
        get(broker.queues().push("tareas", "ana", "uno"));

        assertThat(get(broker.queues().depth("tareas"))).isEqualTo(1);
    }

    @Test
    void aPushToAFullQueueFailsAndStoresNothing() throws Exception {
        MemoryBroker.Settings settings = MemoryBroker.Settings.defaults().withQueueCapacity(2);
        try (MemoryBroker bounded = new MemoryBroker(settings)) {
            get(bounded.queues().push("tareas", "ana", "uno"));
            get(bounded.queues().push("tareas", "ana", "dos"));

            assertBrokerFailure(bounded.queues().push("tareas", "ana", "tres"));

            assertThat(get(bounded.queues().depth("tareas"))).isEqualTo(2);
        }
    }

    @Test
    void deliversOnNamedDaemonThreads() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder() {
            @Override
            public void onMessage(Message message) {
                threads.add(Thread.currentThread());
                super.onMessage(message);
            }
        };
        get(broker.rooms().subscribe("general", Position.now(), recorder));

        publish(broker, "general", "hola");

        recorder.awaitMessages(1, WAIT);
        assertThat(threads.get(0).getName()).startsWith("cartero-memory-delivery-");
        assertThat(threads.get(0).isDaemon()).isTrue();
    }

    @Test
    void releasingANameAfterCloseDoesNothing() {
        MemoryBroker memory = (MemoryBroker) broker;
        memory.close();

        memory.release("ana", "s1");

        assertBrokerFailure(memory.reserve("ana", "s1"));
    }

    @Test
    void settingsRefuseNonsense() {
        MemoryBroker.Settings defaults = MemoryBroker.Settings.defaults();

        assertThat(defaults.retention()).isEqualTo(10_000);
        assertThat(defaults.idempotencyWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> defaults.withRetention(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> defaults.withIdempotencyWindow(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withIdempotencyKeys(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withQueueCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedBrokerReportsABrokerException() {
        broker.close();

        assertThat(failureOf(broker.rooms().list())).isInstanceOf(BrokerException.class)
                .hasMessageContaining("closed");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock that moves only when told. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis;

        ManualClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
