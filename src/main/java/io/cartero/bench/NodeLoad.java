package io.cartero.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A run against one or more nodes over their WebSocket protocol: opens the connections
 * (spread round robin over the nodes and the rooms), waits until every one has said hello and
 * joined, lets the publishers go, measures the window after the warm-up, then stops
 * publishing, waits for what is still on its way and counts. The connections are raw sockets
 * on a few {@link SocketLoop} threads, so the generator costs less per delivery than the node
 * it measures.
 */
public final class NodeLoad {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(500);
    /** How long the nodes are watched before a quiet run is called settled. */
    private static final Duration IDLE_LOOK = Duration.ofMillis(300);
    /** CPU time all nodes together may spend during that look and still be idle. */
    private static final Duration IDLE_CPU = Duration.ofMillis(30);
    private static final long START_DELAY = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long HEAP_EVERY = TimeUnit.SECONDS.toNanos(1);

    private final List<URI> servers;
    private final BenchPlan plan;
    private final NodeProbe probe;
    private final long origin = System.nanoTime();
    private final List<SocketLoop> loops = new ArrayList<>();
    private final List<PublishLedger> publishers = new ArrayList<>();
    private final List<SequenceLedger> subscribers = new ArrayList<>();

    private NodeLoad(List<URI> servers, BenchPlan plan) {
        this.servers = List.copyOf(servers);
        this.plan = plan;
        this.probe = new NodeProbe(servers);
    }

    /**
     * Runs {@code plan} against the nodes at {@code servers} ({@code ws://} addresses).
     *
     * @throws IOException if a connection cannot be opened, or a node refuses a hello or a
     *     join
     */
    public static BenchResult run(List<URI> servers, BenchPlan plan)
            throws IOException, InterruptedException {
        Objects.requireNonNull(plan, "plan");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is needed");
        }
        NodeLoad load = new NodeLoad(servers, plan);
        try {
            return load.run();
        } finally {
            load.stop();
        }
    }

    private BenchResult run() throws IOException, InterruptedException {
        for (int i = 0; i < plan.threads(); i++) {
            SocketLoop loop = new SocketLoop(i, origin, plan, plan.publishers());
            loops.add(loop);
            loop.launch();
        }
        connect();
        awaitReady();

        long now = System.nanoTime() - origin;
        SocketLoop.Schedule schedule = new SocketLoop.Schedule(now + START_DELAY,
                now + START_DELAY + plan.warmup().toNanos(),
                now + START_DELAY + plan.warmup().toNanos() + plan.duration().toNanos());
        loops.forEach(loop -> loop.start(schedule));
        sleepUntil(schedule.measureFrom(), false);
        long nodeCpu = probe.cpuNanos();
        long ownCpu = ProcessCpu.nanos();
        long windowStart = System.nanoTime();
        sleepUntil(schedule.measureUntil(), true);
        long windowNanos = System.nanoTime() - windowStart;
        long nodeCpuAfter = probe.cpuNanos();
        long ownCpuAfter = ProcessCpu.nanos();

        boolean settled = drain();
        stop();
        return result(windowNanos, nodeCpu < 0 || nodeCpuAfter < 0 ? -1 : nodeCpuAfter - nodeCpu,
                ownCpu < 0 ? -1 : ownCpuAfter - ownCpu, settled);
    }

    private void connect() throws IOException {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        int connection = 0;
        for (int i = 0; i < plan.subscribers(); i++) {
            SequenceLedger ledger = new SequenceLedger(i % plan.rooms(), plan.publishers());
            subscribers.add(ledger);
            hand(connection++, RawWebSocket.subscriber(server(i), ledger, CONNECT_TIMEOUT));
        }
        for (int i = 0; i < plan.idle(); i++) {
            hand(connection++, RawWebSocket.idle(server(i), CONNECT_TIMEOUT));
        }
        for (int i = 0; i < plan.publishers(); i++) {
            PublishLedger ledger = new PublishLedger(i, i % plan.rooms());
            publishers.add(ledger);
            hand(connection++, RawWebSocket.publisher(server(i), ledger,
                    "bench-" + tag + "-p" + i, CONNECT_TIMEOUT));
        }
    }

    private URI server(int index) {
        return servers.get(index % servers.size());
    }

    private void hand(int index, RawWebSocket socket) {
        loops.get(index % loops.size()).add(socket);
    }

    private void awaitReady() throws IOException, InterruptedException {
        int total = plan.subscribers() + plan.idle() + plan.publishers();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (loops.stream().mapToInt(SocketLoop::readyCount).sum() < total) {
            failIfBroken();
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("only " + loops.stream().mapToInt(SocketLoop::readyCount)
                        .sum() + " of " + total + " connections were ready after "
                        + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private void failIfBroken() throws IOException {
        for (SocketLoop loop : loops) {
            if (loop.failure() != null) {
                throw new IOException("a socket thread failed", loop.failure());
            }
            if (loop.refusal() != null) {
                throw new IOException(loop.refusal());
            }
        }
    }

    /** Sleeps until {@code until} (nanoseconds since origin), sampling the nodes' heap. */
    private void sleepUntil(long until, boolean stopWhenPublished)
            throws InterruptedException {
        long nextHeap = 0;
        while (true) {
            long now = System.nanoTime() - origin;
            if (now >= until || (stopWhenPublished && published())) {
                return;
            }
            if (now >= nextHeap) {
                probe.sampleHeap();
                nextHeap = now + HEAP_EVERY;
            }
            long nap = Math.min(until - now, TimeUnit.MILLISECONDS.toNanos(20));
            TimeUnit.NANOSECONDS.sleep(Math.max(nap, 1));
        }
    }

    private boolean published() {
        return plan.messages() > 0 && loops.stream().allMatch(SocketLoop::publishersDone);
    }

    /**
     * Waits until every message is answered, nothing has arrived for a moment, and the nodes
     * answer and are idle: a node paused (collecting garbage, or without a core on a crowded
     * machine) sends nothing for a while and yet still owes messages.
     *
     * @return whether that happened within the limit
     */
    private boolean drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            long progress = progress();
            long unanswered = loops.stream().mapToLong(SocketLoop::unanswered).sum();
            if (progress != last) {
                last = progress;
                quietSince = System.nanoTime();
            } else if (unanswered == 0 && System.nanoTime() - quietSince > QUIET.toNanos()) {
                if (nodesIdle(progress)) {
                    return true;
                }
                quietSince = System.nanoTime();
            }
            Thread.sleep(20);
        }
        return false;
    }

    /**
     * Whether the nodes answer their metrics, spend almost no CPU over a short look, and
     * nothing arrives meanwhile. A scrape waits for a paused node, so a pause ends before
     * this says yes.
     */
    private boolean nodesIdle(long progress) throws InterruptedException {
        long before = probe.cpuNanos();
        Thread.sleep(IDLE_LOOK.toMillis());
        long after = probe.cpuNanos();
        return before >= 0 && after >= 0 && after - before < IDLE_CPU.toNanos()
                && progress() == progress;
    }

    private long progress() {
        return loops.stream().mapToLong(SocketLoop::progress).sum();
    }

    private void stop() throws InterruptedException {
        for (SocketLoop loop : loops) {
            loop.close();
        }
        for (SocketLoop loop : loops) {
            loop.join();
        }
    }

    private BenchResult result(long windowNanos, long nodeCpu, long ownCpu, boolean settled) {
        Histogram latency = new Histogram(3);
        Histogram ackLatency = new Histogram(3);
        long deliveries = 0;
        long acks = 0;
        List<Tally.Subscriber> counted = new ArrayList<>();
        Map<Integer, Integer> closed = new TreeMap<>();
        for (SocketLoop loop : loops) {
            latency.add(loop.latency());
            ackLatency.add(loop.ackLatency());
            deliveries += loop.windowDeliveries();
            acks += loop.windowAcks();
            for (RawWebSocket socket : loop.sockets()) {
                if (socket.closed()) {
                    closed.merge(socket.closeCode, 1, Integer::sum);
                }
                if (socket.ledger != null) {
                    counted.add(new Tally.Subscriber(socket.ledger, socket.closed()));
                }
            }
        }
        double seconds = windowNanos / 1e9;
        return new BenchResult(String.join(",", servers.stream().map(URI::toString).toList()),
                plan, seconds, deliveries / seconds, acks / seconds, Percentiles.of(latency),
                Percentiles.of(ackLatency), Tally.of(publishers, counted), closed,
                ProcessCpu.microsPer(nodeCpu, deliveries), probe.peakHeap(),
                ProcessCpu.microsPer(ownCpu, deliveries), plan.idle(), settled);
    }
}
