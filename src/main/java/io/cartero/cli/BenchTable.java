package io.cartero.cli;

import io.cartero.bench.BenchPlan;
import io.cartero.bench.BenchResult;
import io.cartero.bench.Percentiles;
import io.cartero.bench.Tally;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shows the figures of a bench run: a table for people, a map of fields for JSON. */
final class BenchTable {
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private BenchTable() {
    }

    /** The table, in the language of {@code texts}. */
    static String render(Texts texts, BenchResult result) {
        BenchPlan plan = result.plan();
        Tally tally = result.tally();
        List<String[]> rows = new ArrayList<>();
        row(rows, texts, "bench.row.target", result.target());
        row(rows, texts, "bench.row.load", plan.subscribers(), plan.rooms(), plan.publishers(),
                plan.maxRate() ? texts.get("bench.max_rate") : texts.get("bench.rate_value",
                        plan.rate()));
        row(rows, texts, "bench.row.window", result.seconds(), plan.warmup().toMillis() / 1e3,
                plan.payload());
        row(rows, texts, "bench.row.deliveries", result.deliveriesPerSecond());
        row(rows, texts, "bench.row.acks", result.acksPerSecond());
        row(rows, texts, "bench.row.latency", percentiles(texts, result.latency()));
        row(rows, texts, "bench.row.ack_latency", percentiles(texts, result.ackLatency()));
        row(rows, texts, "bench.row.published", tally.published(), tally.acknowledged(),
                tally.refused(), tally.unanswered());
        row(rows, texts, "bench.row.delivered", tally.delivered(), tally.expected());
        row(rows, texts, result.settled() ? "bench.row.lost" : "bench.row.unsettled",
                tally.lost(), tally.duplicates(), tally.dropped(), tally.passedOver());
        row(rows, texts, "bench.row.closed", closed(texts, result.closedByNode()));
        if (result.idleConnections() > 0) {
            row(rows, texts, "bench.row.idle", result.idleConnections());
        }
        row(rows, texts, "bench.row.node_cpu", micros(texts, result.nodeCpuMicrosPerDelivery()));
        row(rows, texts, "bench.row.node_heap", heap(texts, result.nodePeakHeapBytes()));
        row(rows, texts, "bench.row.generator_cpu",
                micros(texts, result.generatorCpuMicrosPerDelivery()));
        return layout(rows);
    }

    /** Every figure under a stable English name, for {@code --json}. */
    static Map<String, Object> fields(BenchResult result) {
        BenchPlan plan = result.plan();
        Tally tally = result.tally();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("target", result.target());
        fields.put("subscribers", plan.subscribers());
        fields.put("publishers", plan.publishers());
        fields.put("rate", plan.maxRate() ? "max" : plan.rate());
        fields.put("rooms", plan.rooms());
        fields.put("payload", plan.payload());
        fields.put("warmup_s", plan.warmup().toMillis() / 1e3);
        fields.put("seconds", result.seconds());
        fields.put("deliveries_per_s", result.deliveriesPerSecond());
        fields.put("acks_per_s", result.acksPerSecond());
        fields.put("latency_ms", percentiles(result.latency()));
        fields.put("ack_latency_ms", percentiles(result.ackLatency()));
        fields.put("published", tally.published());
        fields.put("acknowledged", tally.acknowledged());
        fields.put("refused", tally.refused());
        fields.put("unanswered", tally.unanswered());
        fields.put("expected", tally.expected());
        fields.put("delivered", tally.delivered());
        fields.put("settled", result.settled());
        fields.put("lost", tally.lost());
        fields.put("dropped_by_close", tally.dropped());
        fields.put("duplicated", tally.duplicates());
        fields.put("foreign", tally.foreign());
        fields.put("history_lost", tally.historyLost());
        fields.put("passed_over", tally.passedOver());
        Map<String, Integer> closed = new LinkedHashMap<>();
        result.closedByNode().forEach((code, count) -> closed.put(String.valueOf(code), count));
        fields.put("closed_by_node", closed);
        fields.put("idle_connections", result.idleConnections());
        fields.put("node_cpu_us_per_delivery", orNull(result.nodeCpuMicrosPerDelivery()));
        fields.put("node_peak_heap_bytes", result.nodePeakHeapBytes() < 0 ? null
                : result.nodePeakHeapBytes());
        fields.put("generator_cpu_us_per_delivery",
                orNull(result.generatorCpuMicrosPerDelivery()));
        return fields;
    }

    private static Map<String, Object> percentiles(Percentiles p) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("count", p.count());
        fields.put("p50", p.p50());
        fields.put("p90", p.p90());
        fields.put("p99", p.p99());
        fields.put("p99_9", p.p999());
        fields.put("max", p.max());
        return fields;
    }

    private static Double orNull(double value) {
        return value < 0 ? null : value;
    }

    private static String percentiles(Texts texts, Percentiles p) {
        if (p.count() == 0) {
            return texts.get("bench.none");
        }
        return texts.get("bench.percentiles", p.p50(), p.p90(), p.p99(), p.p999(), p.max());
    }

    private static String closed(Texts texts, Map<Integer, Integer> byCode) {
        if (byCode.isEmpty()) {
            return texts.get("bench.none");
        }
        List<String> parts = new ArrayList<>();
        byCode.forEach((code, count) -> parts.add(texts.get("bench.closed_code",
                String.valueOf(code), count)));
        return String.join(", ", parts);
    }

    private static String micros(Texts texts, double micros) {
        return micros < 0 ? texts.get("bench.unknown") : texts.get("bench.micros", micros);
    }

    private static String heap(Texts texts, long bytes) {
        return bytes < 0 ? texts.get("bench.unknown")
                : texts.get("bench.mib", bytes / BYTES_PER_MIB);
    }

    private static void row(List<String[]> rows, Texts texts, String key, Object... args) {
        rows.add(new String[] {texts.get(key + ".label"), texts.get(key, args)});
    }

    private static String layout(List<String[]> rows) {
        int width = 0;
        for (String[] row : rows) {
            width = Math.max(width, row[0].length());
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            table.append(row[0]).append(" ".repeat(width - row[0].length() + 2))
                    .append(row[1]).append(System.lineSeparator());
        }
        return table.toString().stripTrailing();
    }
}
