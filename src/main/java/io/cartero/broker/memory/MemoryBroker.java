package io.cartero.broker.memory;

import io.cartero.broker.Broker;
import io.cartero.broker.BrokerException;
import io.cartero.broker.NameRegistry;
import io.cartero.broker.Presence;
import io.cartero.broker.Queues;
import io.cartero.broker.Rooms;
import io.cartero.broker.Signals;
import io.cartero.message.Names;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker that lives in this process: for tests, demos and a single node. By itself it keeps
 * nothing on disk; given a {@link Journal} it records every change there and starts from what
 * the journal holds, which is how the embedded broker keeps history across restarts. It
 * honours the contracts of {@link Rooms}, {@link Presence}, {@link Queues}, {@link Signals}
 * and {@link NameRegistry}.
 *
 * <p>Every method is thread-safe. Bad input and a closed broker always surface as a failed
 * future ({@link io.cartero.message.ValidationException} or {@link BrokerException}), never as
 * an exception thrown by the call; only null arguments throw, as programming errors. After
 * {@link #close()} every operation fails with {@link BrokerException}, except the clean-up
 * calls {@link #release}, {@code Subscription.close()} and {@code close()} itself, which do
 * nothing.
 *
 * <p>Delivery: each subscription pulls from its room's bounded log in drains run by a few
 * delivery threads ({@code cartero-memory-delivery-N}, daemon threads; see
 * {@link DeliveryPool}), one drain per subscription at a time; a thread is added when a
 * blocked listener holds every one up, so a slow or blocked listener holds back only its own
 * subscription. A
 * listener that throws is logged and gets the next message. Pop timeouts run on one timer
 * thread ({@code cartero-memory-timer-1}).
 *
 * <p>Memory is bounded per room (retention and idempotency keys) and per queue (capacity); the
 * number of rooms and queues is not: they live as long as the broker.
 */
public final class MemoryBroker implements Broker, NameRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryBroker.class);

    private final Lifecycle lifecycle = new Lifecycle();
    private final DeliveryPool delivery;
    private final ScheduledThreadPoolExecutor timer;
    private final MemoryRooms rooms;
    private final MemoryPresence presence;
    private final MemoryQueues queues;
    private final MemorySignals signals;
    /** Records every change; {@link Journal#none()} for a broker with nothing on disk. */
    private final Journal journal;
    /** Reserved names and who holds each. */
    private final ConcurrentMap<String, String> reservedNames = new ConcurrentHashMap<>();

    /** A memory broker with {@link Settings#defaults()}. */
    public MemoryBroker() {
        this(Settings.defaults());
    }

    /** A memory broker with {@code settings} and the system clock. */
    public MemoryBroker(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A memory broker with {@code settings} that reads the time from {@code clock}. */
    public MemoryBroker(Settings settings, Clock clock) {
        this(settings, clock, Journal.none());
    }

    /**
     * A broker with {@code settings} that starts from what {@code journal} holds and records
     * every change in it. The broker owns the journal from now on and closes it on
     * {@link #close()}.
     */
    public MemoryBroker(Settings settings, Clock clock, Journal journal) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(journal, "journal");
        this.journal = journal;
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("cartero-memory-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.delivery = new DeliveryPool(timer);
        this.rooms = new MemoryRooms(settings, lifecycle, clock, delivery, journal);
        this.presence = new MemoryPresence(rooms, lifecycle);
        this.queues = new MemoryQueues(settings, lifecycle, clock, timer, journal);
        this.signals = new MemorySignals(lifecycle, delivery);
        LOG.info("broker started kind={} rooms={} queues={} retention={} idempotency_window={}"
                + " queue_capacity={}", journal.describe(), rooms.size(), queues.size(),
                settings.retention(), settings.idempotencyWindow(), settings.queueCapacity());
    }

    @Override
    public Rooms rooms() {
        return rooms;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public Queues queues() {
        return queues;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public CompletableFuture<Void> check() {
        return lifecycle.call(() -> {
            journal.check();
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public String describe() {
        return journal.describe();
    }

    @Override
    public CompletableFuture<Boolean> reserve(String name, String holder) {
        return lifecycle.call(() -> {
            Names.requireUser(name);
            Names.requireHolder(holder);
            String current = reservedNames.putIfAbsent(name, holder);
            return CompletableFuture.completedFuture(current == null || current.equals(holder));
        });
    }

    @Override
    public void release(String name, String holder) {
        if (name != null && holder != null) {
            reservedNames.remove(name, holder);
        }
    }

    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        BrokerException cause = Lifecycle.closedException();
        rooms.close(cause);
        queues.close(cause);
        signals.close();
        delivery.shutdown();
        timer.shutdownNow();
        journal.close();
        LOG.info("broker closed kind={} rooms={} queues={}", journal.describe(), rooms.size(),
                queues.size());
    }

    /**
     * How much a memory broker keeps.
     *
     * @param retention the newest messages kept per room, at least 1
     * @param idempotencyWindow how long an idempotency key is remembered, positive
     * @param idempotencyKeys the most keys remembered per room, at least 1; beyond it the
     *     oldest is forgotten even within the window
     * @param queueCapacity the most messages waiting in one queue, at least 1; a push beyond
     *     it fails with {@link BrokerException}
     */
    public record Settings(int retention, Duration idempotencyWindow, int idempotencyKeys,
            int queueCapacity) {
        /** The default retention per room. */
        public static final int DEFAULT_RETENTION = 10_000;
        /** The default idempotency window. */
        public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);
        /** The default number of idempotency keys per room. */
        public static final int DEFAULT_IDEMPOTENCY_KEYS = 10_000;
        /** The default capacity of a queue. */
        public static final int DEFAULT_QUEUE_CAPACITY = 100_000;

        public Settings {
            requireAtLeastOne(retention, "retention");
            Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
            if (idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
                throw new IllegalArgumentException(
                        "idempotencyWindow must be positive: " + idempotencyWindow);
            }
            requireAtLeastOne(idempotencyKeys, "idempotencyKeys");
            requireAtLeastOne(queueCapacity, "queueCapacity");
        }

        /** 10,000 messages per room, keys for 10 minutes (at most 10,000), queues of 100,000. */
        public static Settings defaults() {
            return new Settings(DEFAULT_RETENTION, DEFAULT_IDEMPOTENCY_WINDOW,
                    DEFAULT_IDEMPOTENCY_KEYS, DEFAULT_QUEUE_CAPACITY);
        }

        /** These settings with another retention. */
        public Settings withRetention(int messages) {
            return new Settings(messages, idempotencyWindow, idempotencyKeys, queueCapacity);
        }

        /** These settings with another idempotency window. */
        public Settings withIdempotencyWindow(Duration window) {
            return new Settings(retention, window, idempotencyKeys, queueCapacity);
        }

        /** These settings with another bound on idempotency keys per room. */
        public Settings withIdempotencyKeys(int keys) {
            return new Settings(retention, idempotencyWindow, keys, queueCapacity);
        }

        /** These settings with another queue capacity. */
        public Settings withQueueCapacity(int messages) {
            return new Settings(retention, idempotencyWindow, idempotencyKeys, messages);
        }

        private static void requireAtLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
        }
    }
}
