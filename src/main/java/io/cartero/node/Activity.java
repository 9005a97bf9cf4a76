package io.cartero.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one connection produced and took from queues, for the broker view: a counter per room
 * or queue it sent to, and one per queue it consumes from. A counter is made the first time
 * and only incremented after that. Thread-safe.
 */
final class Activity {
    /** Messages sent, by target: {@code room:NAME} or {@code queue:NAME}. */
    private final Map<String, AtomicLong> produced = new ConcurrentHashMap<>();
    /** Messages handed to the connection, by queue it asked for messages. */
    private final Map<String, AtomicLong> consumed = new ConcurrentHashMap<>();
    /** Whether the operator paused the connection's queue deliveries. */
    private volatile boolean paused;

    /** The operator pauses (or resumes) the connection's queue deliveries. */
    void pause(boolean pause) {
        paused = pause;
    }

    boolean paused() {
        return paused;
    }

    /** The connection sent a message to a room. */
    void sentToRoom(String room) {
        produced.computeIfAbsent("room:" + room, key -> new AtomicLong()).incrementAndGet();
    }

    /** The connection pushed a message onto a queue. */
    void pushed(String queue) {
        produced.computeIfAbsent("queue:" + queue, key -> new AtomicLong()).incrementAndGet();
    }

    /** The connection asked {@code queue} for a message: it is one of its consumers. */
    void consumes(String queue) {
        consumed.computeIfAbsent(queue, key -> new AtomicLong());
    }

    /** The node handed the connection a message of {@code queue}. */
    void took(String queue) {
        consumed.computeIfAbsent(queue, key -> new AtomicLong()).incrementAndGet();
    }

    /** Messages sent so far, by target, sorted. */
    Map<String, Long> produced() {
        return totals(produced);
    }

    /** Messages taken so far, by queue, sorted. */
    Map<String, Long> consumed() {
        return totals(consumed);
    }

    private static Map<String, Long> totals(Map<String, AtomicLong> counters) {
        Map<String, Long> totals = new TreeMap<>();
        counters.forEach((key, counter) -> totals.put(key, counter.get()));
        return totals;
    }
}
