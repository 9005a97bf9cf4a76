package io.cartero.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds, read from a histogram of nanoseconds.
 *
 * @param count how many values were recorded
 */
public record Percentiles(long count, double p50, double p90, double p99, double p999,
        double max) {
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    static Percentiles of(Histogram nanos) {
        return new Percentiles(nanos.getTotalCount(), millis(nanos, 50), millis(nanos, 90),
                millis(nanos, 99), millis(nanos, 99.9), nanos.getMaxValue() / NANOS_PER_MILLI);
    }

    private static double millis(Histogram nanos, double percentile) {
        return nanos.getValueAtPercentile(percentile) / NANOS_PER_MILLI;
    }
}
