package io.cartero.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomListener;
import io.cartero.client.NodeClient;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.node.Guards;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A measurement, not a speed requirement: a room at about 1,000 messages a second with two
 * consumers, in phases: nobody watching and a plain client watching (no browser), twice each,
 * then the broker view open in a browser, then nobody again. It prints the delivery latency
 * (from the producer's publish to each consumer's listener) of each phase, and the page's
 * frame rate and CPU time while it watches. It asserts only that
 * every message reached both consumers and that the page's count kept up with the producer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NeedsChromium.class)
class ViewUnderLoadIT {
    private static final int RATE = 1_000;
    private static final int SECONDS = 8;
    private static final int BATCH_MS = 10;

    private WebNode node;
    private Browser browser;
    @RegisterExtension
    final FailureRecorder failures = new FailureRecorder().watch(() -> browser);

    @BeforeAll
    void start() {
        // One producer sends all 1,000 messages a second: above a node's default allowance of
        // 500 requests a second on one connection, so this node allows more.
        node = WebNode.inMemory(Guards.defaults().withLimits(4_000, 100, 100, 5_000, 10_000));
        browser = Browser.start("en", 1280, 800);
    }

    @AfterAll
    void stop() {
        ChatBrowserIT.closeQuietly(node);
        ChatBrowserIT.closeQuietly(browser);
    }

    @Test
    void measuresTheViewOnARoomAtAThousandMessagesASecond() throws Exception {
        NodeClient producer = node.client("productor");
        List<Latencies> consumers = new ArrayList<>();
        for (String name : List.of("consumidor-1", "consumidor-2")) {
            Latencies latencies = new Latencies("carga");
            node.client(name).rooms().subscribe("carga", Position.now(), latencies)
                    .get(10, TimeUnit.SECONDS);
            consumers.add(latencies);
        }
        run(producer, consumers, 2, "warm-up");

        List<Phase> phases = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            phases.add(run(producer, consumers, SECONDS, "nobody watching #" + round));
            try (PlainWatcher watcher = PlainWatcher.open(node.port())) {
                phases.add(run(producer, consumers, SECONDS, "plain watcher #" + round));
                assertThat(watcher.views()).isPositive();
            }
        }
        BrokerViewPage view = new BrokerViewPage(browser).open(node.page());
        view.await(d -> view.parties("producer").contains("productor"));
        PageMeter meter = PageMeter.start(browser);
        Phase with = run(producer, consumers, SECONDS, "the view in Chromium");
        PageMeter.Figures page = meter.stop();
        browser.driver().get("about:blank");
        phases.add(with);
        phases.add(run(producer, consumers, SECONDS, "nobody watching #3"));
        browser.driver().navigate().back();
        view.await(d -> !view.brokerState().isEmpty());
        String producerEdge = "conn:" + view.conn("productor");
        long published = 2L * RATE + (long) phases.size() * SECONDS * RATE;
        view.await(d -> view.edge(producerEdge, "room:carga").total() == published);

        System.out.printf(Locale.ROOT, "view under load: %d msg/s to a room with 2 consumers,"
                + " %d s per phase, 2-core shared machine, browser on the same machine%n",
                RATE, SECONDS);
        phases.forEach(phase -> System.out.println("  " + phase));
        System.out.println("  page while watching: " + page);
        assertThat(phases).allSatisfy(phase ->
                assertThat(phase.delivered()).isEqualTo(2L * SECONDS * RATE));
    }

    /** Publishes RATE messages a second for {@code seconds}; waits for every delivery. */
    private static Phase run(NodeClient producer, List<Latencies> consumers, int seconds,
            String name) throws Exception {
        consumers.forEach(Latencies::reset);
        int total = seconds * RATE;
        long start = System.nanoTime();
        List<CompletableFuture<Message>> acks = new ArrayList<>(total);
        for (int sent = 0; sent < total; ) {
            long due = start + TimeUnit.MILLISECONDS.toNanos((long) sent * 1000 / RATE);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            for (int i = 0; i < RATE * BATCH_MS / 1000 && sent < total; i++, sent++) {
                acks.add(producer.rooms().publish(Publish.chat("carga", "productor",
                        Long.toString(System.nanoTime()))));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        for (Latencies consumer : consumers) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.count() < total && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        Histogram all = new Histogram(3);
        consumers.forEach(c -> all.add(c.histogram()));
        return new Phase(name, total * 1e9 / elapsed, all.getTotalCount(), all);
    }

    /** A watcher that is not a browser: says hello, watches, and only counts the views. */
    private static final class PlainWatcher implements java.net.http.WebSocket.Listener,
            AutoCloseable {
        private final AtomicLong views = new AtomicLong();
        private java.net.http.WebSocket socket;

        static PlainWatcher open(int port) throws Exception {
            PlainWatcher watcher = new PlainWatcher();
            watcher.socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/ws"), watcher)
                    .get(10, TimeUnit.SECONDS);
            watcher.socket.sendText("{\"type\":\"hello\",\"id\":1}", true)
                    .get(10, TimeUnit.SECONDS);
            watcher.socket.sendText("{\"type\":\"watch\",\"id\":2}", true)
                    .get(10, TimeUnit.SECONDS);
            return watcher;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws,
                CharSequence data, boolean last) {
            if (last && data.toString().startsWith("{\"type\":\"view\"")) {
                views.incrementAndGet();
            }
            ws.request(1);
            return null;
        }

        long views() {
            return views.get();
        }

        @Override
        public void close() {
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /** One phase's figures: the rate reached and the latency percentiles, in ms. */
    private record Phase(String name, double rate, long delivered, Histogram latency) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-22s rate %.0f msg/s, %d deliveries, latency "
                    + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", name, rate,
                    delivered, ms(50), ms(90), ms(99), latency.getMaxValue() / 1000.0);
        }

        private double ms(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** A consumer that records, in microseconds, how long each message took to reach it. */
    private static final class Latencies implements RoomListener {
        private final String room;
        private Histogram histogram = new Histogram(3);
        private final AtomicLong count = new AtomicLong();

        Latencies(String room) {
            this.room = room;
        }

        @Override
        public synchronized void onMessage(Message message) {
            if (message.kind() != Kind.CHAT || !message.room().equals(room)) {
                return;
            }
            long sentNanos = Long.parseLong(message.text());
            histogram.recordValue(Math.max(0, (System.nanoTime() - sentNanos) / 1000));
            count.incrementAndGet();
        }

        synchronized void reset() {
            histogram = new Histogram(3);
            count.set(0);
        }

        long count() {
            return count.get();
        }

        synchronized Histogram histogram() {
            return histogram.copy();
        }
    }

    /**
     * The page's frame rate (frames drawn, counted with requestAnimationFrame) and its CPU time
     * (Chrome's own Performance metrics, through the DevTools protocol) over a while.
     */
    private static final class PageMeter {
        private final Browser browser;
        private final Map<String, Double> before;
        private final long startNanos = System.nanoTime();

        private PageMeter(Browser browser, Map<String, Double> before) {
            this.browser = browser;
            this.before = before;
        }

        static PageMeter start(Browser browser) {
            browser.driver().executeCdpCommand("Performance.enable", Map.of());
            browser.driver().executeScript("window.__frames = 0; (function count() {"
                    + " window.__frames++; requestAnimationFrame(count); })();");
            return new PageMeter(browser, metrics(browser));
        }

        Figures stop() {
            Map<String, Double> after = metrics(browser);
            long frames = ((Number) browser.driver().executeScript("return window.__frames"))
                    .longValue();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double wall = after.get("Timestamp") - before.get("Timestamp");
            return new Figures(frames / seconds,
                    (after.get("TaskDuration") - before.get("TaskDuration")) / wall,
                    (after.get("ScriptDuration") - before.get("ScriptDuration")) / wall,
                    after.get("JSHeapUsedSize") / 1e6, after.get("Nodes"));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Double> metrics(Browser browser) {
            Map<String, Object> result = browser.driver()
                    .executeCdpCommand("Performance.getMetrics", Map.of());
            Map<String, Double> metrics = new java.util.HashMap<>();
            for (Map<String, Object> metric : (List<Map<String, Object>>) result.get("metrics")) {
                metrics.put((String) metric.get("name"),
                        ((Number) metric.get("value")).doubleValue());
            }
            return metrics;
        }

        /** Frames a second, and the share of one core the page's tasks and scripts took. */
        record Figures(double fps, double taskShare, double scriptShare, double heapMb,
                double domNodes) {
            @Override
            public String toString() {
                return String.format(Locale.ROOT, "%.1f frames/s, main thread busy %.1f%% "
                        + "(scripts %.1f%%), JS heap %.1f MB, %.0f DOM nodes", fps,
                        taskShare * 100, scriptShare * 100, heapMb, domNodes);
            }
        }
    }
}
