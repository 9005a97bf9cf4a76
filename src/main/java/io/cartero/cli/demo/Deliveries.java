package io.cartero.cli.demo;

import io.cartero.broker.BrokerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What the consumers of one step really received, by consumer, in the order each received it:
 * the tour's accounting. Consumers record from the broker's threads; the tour waits here until
 * what it expects has arrived. Thread-safe: everything under {@code this}.
 */
final class Deliveries {
    /** How long the tour waits for a delivery before it gives up on the broker. */
    static final Duration WAIT = Duration.ofSeconds(15);

    private final Map<String, List<String>> received = new LinkedHashMap<>();
    private Throwable failure;

    /** Makes {@code consumer} known, with nothing received yet, so it shows in the accounts. */
    synchronized void expect(String consumer) {
        received.computeIfAbsent(consumer, id -> new ArrayList<>());
    }

    /** {@code consumer} received {@code text}. */
    synchronized void record(String consumer, String text) {
        received.computeIfAbsent(consumer, id -> new ArrayList<>()).add(text);
        notifyAll();
    }

    /** A consumer cannot go on: the broker failed it. Whoever waits is told. */
    synchronized void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /** How many messages {@code consumer} received. */
    synchronized int count(String consumer) {
        List<String> texts = received.get(consumer);
        return texts == null ? 0 : texts.size();
    }

    /** How many messages all consumers received together. */
    synchronized int total() {
        return received.values().stream().mapToInt(List::size).sum();
    }

    /** What each consumer received, in order. */
    synchronized Map<String, List<String>> byConsumer() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        received.forEach((consumer, texts) -> copy.put(consumer, List.copyOf(texts)));
        return copy;
    }

    /** Waits until {@code consumer} has received {@code count} messages. */
    void awaitCount(String consumer, int count) throws InterruptedException {
        awaitUntil(() -> count(consumer), count);
    }

    /** Waits until all consumers together have received {@code count} messages. */
    void awaitTotal(int count) throws InterruptedException {
        awaitUntil(this::total, count);
    }

    private synchronized void awaitUntil(IntSupplier arrived, int expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (arrived.getAsInt() < expected) {
            if (failure != null) {
                throw failure instanceof RuntimeException runtime ? runtime
                        : new BrokerException("a consumer failed", failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TourException("error.demo_timeout", WAIT.toSeconds());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
