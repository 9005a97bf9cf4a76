package io.cartero.soak;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.client.NodeClient;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A long run against a node: many clients in a few rooms, a steady publish rate, and at the
 * end how many acknowledged messages each member lost or got twice, the delivery latency and
 * the node's memory. Run by {@code scripts/soak.sh}; not part of the test suite.
 *
 * <p>Every message carries the {@link System#nanoTime()} of its publish, so the latency is
 * measured in this process from publish to delivery, through the node.
 */
public final class Soak {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN = Duration.ofSeconds(15);

    private final Options options;
    private final List<Member> members = new ArrayList<>();
    /** Acknowledged chat offsets per room. */
    private final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
    private final Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(1), 3);
    private final LongAdder publishFailures = new LongAdder();
    private final AtomicLong sequence = new AtomicLong();

    private Soak(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        new Soak(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("soak: %d clients in %d rooms, %d msg/s for %s against %s%n",
                options.clients, options.rooms, options.rate, options.duration, options.server);
        connectAll();
        Memory start = Memory.of(options.nodePid);
        System.out.println("node memory at start: " + start);

        long began = System.nanoTime();
        publishFor(options.duration);
        drain();
        long elapsed = System.nanoTime() - began;

        Memory end = Memory.of(options.nodePid);
        report(elapsed, start, end);
        for (Member member : members) {
            member.client.close();
        }
    }

    private void connectAll() {
        for (int i = 0; i < options.clients; i++) {
            String room = "soak-" + (i % options.rooms);
            NodeClient client = NodeClient.connect(options.server, "soak-" + i, CONNECT_TIMEOUT);
            Member member = new Member(client, room);
            client.rooms().subscribe(room, Position.now(), member).join();
            members.add(member);
            if ((i + 1) % 100 == 0) {
                System.out.printf("connected %d of %d%n", i + 1, options.clients);
            }
        }
    }

    private void publishFor(Duration duration) throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / options.rate;
        timer.scheduleAtFixedRate(this::publishOne, 0, periodNanos, TimeUnit.NANOSECONDS);
        long seconds = duration.toSeconds();
        for (long s = 1; s <= seconds; s++) {
            Thread.sleep(1_000);
            if (s % 60 == 0) {
                System.out.printf("%d s: published %d%n", s, sequence.get());
            }
        }
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void publishOne() {
        long seq = sequence.getAndIncrement();
        Member from = members.get((int) (seq % members.size()));
        String text = "s:" + seq + ":" + System.nanoTime();
        from.client.rooms().publish(Publish.chat(from.room, from.client.name(), text))
                .whenComplete((message, failure) -> {
                    if (failure != null) {
                        publishFailures.increment();
                    } else {
                        acked.computeIfAbsent(message.room(), r -> ConcurrentHashMap.newKeySet())
                                .add(message.offset());
                    }
                });
    }

    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < deadline && missingTotal() > 0) {
            Thread.sleep(200);
        }
    }

    private long missingTotal() {
        long missing = 0;
        for (Member member : members) {
            missing += member.missing(acked.getOrDefault(member.room, Set.of()));
        }
        return missing;
    }

    private void report(long elapsedNanos, Memory start, Memory end) {
        long ackedTotal = acked.values().stream().mapToLong(Set::size).sum();
        long delivered = members.stream().mapToLong(m -> m.received.size()).sum();
        long duplicates = members.stream().mapToLong(m -> m.duplicates.sum()).sum();
        long gapsTold = members.stream().mapToLong(m -> m.gapsTold.sum()).sum();
        double seconds = elapsedNanos / 1e9;
        System.out.println();
        System.out.printf("published:        %,d (acknowledged %,d, failed %,d)%n",
                sequence.get(), ackedTotal, publishFailures.sum());
        System.out.printf("delivered:        %,d (%,.0f per second)%n", delivered,
                delivered / seconds);
        System.out.printf("lost:             %,d acknowledged deliveries never arrived%n",
                missingTotal());
        System.out.printf("duplicated:       %,d%n", duplicates);
        System.out.printf("gaps announced:   %,d%n", gapsTold);
        System.out.printf("latency ms:       p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                millis(50), millis(90), millis(99), millis(99.9), latency.getMaxValue() / 1e6);
        System.out.println("node memory:      start " + start + ", end " + end);
    }

    private double millis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }

    /** One client and what it received. */
    private final class Member implements RoomListener {
        private final NodeClient client;
        private final String room;
        /** Offsets of soak messages received; written by the subscription's lane. */
        private final Set<Long> received = ConcurrentHashMap.newKeySet();
        private final LongAdder duplicates = new LongAdder();
        private final LongAdder gapsTold = new LongAdder();

        Member(NodeClient client, String room) {
            this.client = client;
            this.room = room;
        }

        @Override
        public void onMessage(Message message) {
            if (message.kind() != Kind.CHAT || !message.text().startsWith("s:")) {
                return;
            }
            long sentAt = Long.parseLong(message.text().substring(
                    message.text().lastIndexOf(':') + 1));
            latency.recordValue(Math.max(0, System.nanoTime() - sentAt));
            if (!received.add(message.offset())) {
                duplicates.increment();
            }
        }

        @Override
        public void onHistoryLost(String lostRoom, String epoch, long nextOffset) {
            gapsTold.increment();
        }

        long missing(Set<Long> ackedOffsets) {
            long count = 0;
            for (Long offset : ackedOffsets) {
                if (!received.contains(offset)) {
                    count++;
                }
            }
            return count;
        }
    }

    /** The node's resident memory and heap in use, read from the operating system and jcmd. */
    private record Memory(long residentKiB, String heap) {
        private static final Pattern HEAP_LINE = Pattern.compile("total (\\d+)K, used (\\d+)K");

        static Memory of(long pid) {
            if (pid <= 0) {
                return new Memory(-1, "unknown");
            }
            return new Memory(resident(pid), heap(pid));
        }

        private static long resident(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid),
                        "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }

        private static String heap(long pid) {
            try {
                Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info")
                        .redirectErrorStream(true).start();
                String out = new String(jcmd.getInputStream().readAllBytes());
                jcmd.waitFor(10, TimeUnit.SECONDS);
                Matcher used = HEAP_LINE.matcher(out);
                if (!used.find()) {
                    return "unknown";
                }
                return Long.parseLong(used.group(2)) / 1024 + " MiB used of "
                        + Long.parseLong(used.group(1)) / 1024 + " MiB";
            } catch (IOException e) {
                return "unknown (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }

        @Override
        public String toString() {
            return "rss " + (residentKiB < 0 ? "unknown" : residentKiB / 1024 + " MiB")
                    + ", heap " + heap;
        }
    }

    /** The command line of the soak run. */
    private record Options(URI server, int clients, int rooms, int rate, Duration duration,
            long nodePid) {
        static Options parse(String[] args) {
            URI server = URI.create("ws://127.0.0.1:8080");
            int clients = 500;
            int rooms = 10;
            int rate = 100;
            Duration duration = Duration.ofMinutes(10);
            long pid = -1;
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--server" -> server = URI.create(value);
                    case "--clients" -> clients = Integer.parseInt(value);
                    case "--rooms" -> rooms = Integer.parseInt(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(value));
                    case "--node-pid" -> pid = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (clients < 1 || rooms < 1 || rate < 1 || duration.isNegative()) {
                throw new IllegalArgumentException("clients, rooms and rate must be positive");
            }
            return new Options(server, clients, rooms, rate, duration, pid);
        }
    }
}
