package io.cartero.bench;

import io.cartero.broker.Broker;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A run straight on a broker's ports, with no node: subscriptions and publishes in this
 * process, as the classroom commands use a Redis. Publishing runs on one thread of its own;
 * deliveries arrive on the broker's delivery threads. What a node would cost is not measured
 * here: the generator's CPU includes the broker's client (or, for {@code memory}, the broker).
 */
public final class BrokerLoad {
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final long HIGHEST_LATENCY = TimeUnit.MINUTES.toNanos(5);
    private static final long START_DELAY = TimeUnit.MILLISECONDS.toNanos(50);

    private final Broker broker;
    private final BenchPlan plan;
    private final long origin = System.nanoTime();
    private final String tag = Integer.toHexString(
            ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
    private final List<PublishLedger> publishers = new ArrayList<>();
    private final List<SequenceLedger> subscribers = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Histogram latency = new ConcurrentHistogram(HIGHEST_LATENCY, 3);
    private final Histogram ackLatency = new ConcurrentHistogram(HIGHEST_LATENCY, 3);
    private final LongAdder windowDeliveries = new LongAdder();
    private final LongAdder windowAcks = new LongAdder();
    private final AtomicLong progress = new AtomicLong();
    private final ExecutorService publishing = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cartero-bench-publish");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;

    private BrokerLoad(Broker broker, BenchPlan plan) {
        this.broker = broker;
        this.plan = plan;
    }

    /** Runs {@code plan} on {@code broker}, which the caller opened and closes. */
    public static BenchResult run(Broker broker, BenchPlan plan) throws InterruptedException {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(plan, "plan");
        BrokerLoad load = new BrokerLoad(broker, plan);
        try {
            return load.run();
        } finally {
            load.publishing.shutdownNow();
            load.subscriptions.forEach(Subscription::close);
        }
    }

    private BenchResult run() throws InterruptedException {
        subscribe();
        for (int i = 0; i < plan.publishers(); i++) {
            publishers.add(new PublishLedger(i, i % plan.rooms()));
        }
        long start = now() + START_DELAY;
        measureFrom = start + plan.warmup().toNanos();
        measureUntil = measureFrom + plan.duration().toNanos();
        publishing.execute(() -> publishFrom(start));

        sleepUntil(measureFrom);
        long ownCpu = ProcessCpu.nanos();
        long windowStart = System.nanoTime();
        while (now() < measureUntil && !allSent()) {
            Thread.sleep(10);
        }
        long windowNanos = System.nanoTime() - windowStart;
        long ownCpuAfter = ProcessCpu.nanos();
        boolean settled = drain();
        publishing.shutdownNow();
        publishing.awaitTermination(5, TimeUnit.SECONDS);
        subscriptions.forEach(Subscription::close);
        return result(windowNanos, ownCpu < 0 ? -1 : ownCpuAfter - ownCpu, settled);
    }

    private void subscribe() {
        List<CompletableFuture<Subscription>> opening = new ArrayList<>();
        for (int i = 0; i < plan.subscribers(); i++) {
            SequenceLedger ledger = new SequenceLedger(i % plan.rooms(), plan.publishers());
            subscribers.add(ledger);
            opening.add(broker.rooms().subscribe(BenchPlan.room(ledger.room()), Position.now(),
                    new Counting(ledger)));
        }
        for (CompletableFuture<Subscription> subscription : opening) {
            subscriptions.add(subscription.join());
        }
    }

    private long now() {
        return System.nanoTime() - origin;
    }

    private void publishFrom(long start) {
        LockSupport.parkNanos(start - now());
        if (plan.maxRate()) {
            publishers.forEach(this::publishNext);
        } else {
            pace(start);
        }
    }

    /** Sends each publisher's messages at its share of the rate, stamped when due. */
    private void pace(long start) {
        long period = TimeUnit.SECONDS.toNanos(1) * plan.publishers() / plan.rate();
        long[] due = new long[publishers.size()];
        for (int i = 0; i < due.length; i++) {
            due[i] = start + period * i / due.length;
        }
        while (!Thread.currentThread().isInterrupted()) {
            long now = now();
            long next = Long.MAX_VALUE;
            for (int i = 0; i < due.length; i++) {
                while (due[i] <= now && due[i] < measureUntil && !finished(publishers.get(i))) {
                    publish(publishers.get(i), due[i]);
                    due[i] += period;
                }
                if (due[i] < measureUntil && !finished(publishers.get(i))) {
                    next = Math.min(next, due[i]);
                }
            }
            if (next == Long.MAX_VALUE) {
                return;
            }
            LockSupport.parkNanos(next - now());
        }
    }

    private void publishNext(PublishLedger publisher) {
        if (now() < measureUntil && !finished(publisher)
                && !Thread.currentThread().isInterrupted()) {
            publish(publisher, now()).thenRunAsync(() -> publishNext(publisher), publishing);
        }
    }

    private CompletableFuture<Void> publish(PublishLedger publisher, long stamp) {
        long sequence;
        synchronized (publisher) {
            sequence = publisher.next(stamp);
        }
        String text = Stamps.text(publisher.index(), sequence, stamp, plan.payload());
        CompletableFuture<Message> stored;
        try {
            stored = broker.rooms().publish(Publish.chat(BenchPlan.room(publisher.room()),
                    "bench-" + tag + "-p" + publisher.index(), text));
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((message, failure) -> {
            answered(publisher, sequence, failure == null);
            return null;
        });
    }

    private void answered(PublishLedger publisher, long sequence, boolean stored) {
        long stamp;
        synchronized (publisher) {
            if (!stored) {
                publisher.failed(sequence);
                return;
            }
            stamp = publisher.acked(sequence);
        }
        progress.incrementAndGet();
        long now = now();
        if (stamp >= 0 && now >= measureFrom && now < measureUntil) {
            windowAcks.increment();
            ackLatency.recordValue(Math.min(HIGHEST_LATENCY, Math.max(0, now - stamp)));
        }
    }

    private boolean finished(PublishLedger publisher) {
        synchronized (publisher) {
            return plan.messages() > 0 && publisher.sent() >= plan.messages();
        }
    }

    private boolean allSent() {
        return plan.messages() > 0 && publishers.stream().allMatch(this::finished);
    }

    private long unanswered() {
        long total = 0;
        for (PublishLedger publisher : publishers) {
            synchronized (publisher) {
                total += publisher.unanswered();
            }
        }
        return total;
    }

    private void sleepUntil(long until) throws InterruptedException {
        long wait = until - now();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private boolean drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            long now = progress.get();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (unanswered() == 0 && System.nanoTime() - quietSince > QUIET.toNanos()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private BenchResult result(long windowNanos, long ownCpu, boolean settled) {
        List<Tally.Subscriber> counted = new ArrayList<>();
        for (SequenceLedger ledger : subscribers) {
            synchronized (ledger) {
                counted.add(new Tally.Subscriber(ledger, false));
            }
        }
        Tally tally = Tally.of(publishers, counted);
        double seconds = windowNanos / 1e9;
        long deliveries = windowDeliveries.sum();
        return new BenchResult(broker.describe(), plan, seconds, deliveries / seconds,
                windowAcks.sum() / seconds, Percentiles.of(latency), Percentiles.of(ackLatency),
                tally, Map.of(), -1, -1, ProcessCpu.microsPer(ownCpu, deliveries), 0, settled);
    }

    /** Records one subscriber's deliveries in its ledger. */
    private final class Counting implements RoomListener {
        private final SequenceLedger ledger;
        private final Stamps.Parsed parsed = new Stamps.Parsed();

        Counting(SequenceLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void onMessage(Message message) {
            long now = now();
            boolean counted;
            synchronized (ledger) {
                if (!Stamps.readText(message.text(), parsed)) {
                    ledger.foreign();
                    return;
                }
                counted = ledger.record(parsed.publisher, parsed.sequence);
            }
            progress.incrementAndGet();
            if (counted && now >= measureFrom && now < measureUntil) {
                windowDeliveries.increment();
                latency.recordValue(Math.min(HIGHEST_LATENCY, Math.max(0, now - parsed.stamp)));
            }
        }

        @Override
        public void onHistoryLost(String room, String epoch, long nextOffset) {
            synchronized (ledger) {
                ledger.historyLost();
            }
        }
    }
}
