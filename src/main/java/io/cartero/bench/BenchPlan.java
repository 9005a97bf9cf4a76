package io.cartero.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * What a run does: how many subscribers and publishers, how fast, for how long.
 *
 * @param subscribers connections (or subscriptions) that join a room and count what arrives
 * @param publishers connections that send to a room; each numbers its own messages
 * @param rate messages per second, all publishers together; 0 means as fast as acknowledged:
 *     each publisher sends its next message when the previous one is acknowledged
 * @param duration how long the measured part lasts
 * @param warmup how long the run goes before measuring (messages flow, nothing is recorded)
 * @param payload characters of text per message
 * @param rooms how many rooms the subscribers and publishers are spread over, round robin
 * @param messages messages per publisher after which it stops early; 0 for no limit
 * @param idle extra connections that only say hello and stay idle (nodes only)
 * @param threads socket threads of the generator (nodes only)
 */
public record BenchPlan(int subscribers, int publishers, int rate, Duration duration,
        Duration warmup, int payload, int rooms, long messages, int idle, int threads) {

    /** The largest text a message may have, in characters. */
    public static final int MAX_PAYLOAD = 4000;
    /** The room names: this prefix and the room's index. */
    public static final String ROOM_PREFIX = "bench-";

    public BenchPlan {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        require(subscribers >= 0, "subscribers must be 0 or more: " + subscribers);
        require(publishers >= 1, "publishers must be 1 or more: " + publishers);
        require(rate >= 0, "rate must be 0 (max) or more: " + rate);
        require(!duration.isNegative() && !duration.isZero(), "duration must be positive");
        require(!warmup.isNegative(), "warmup must not be negative");
        require(payload >= 1 && payload <= MAX_PAYLOAD,
                "payload must be between 1 and " + MAX_PAYLOAD + ": " + payload);
        require(rooms >= 1, "rooms must be 1 or more: " + rooms);
        require(messages >= 0, "messages must be 0 (no limit) or more: " + messages);
        require(idle >= 0, "idle must be 0 or more: " + idle);
        require(threads >= 1, "threads must be 1 or more: " + threads);
    }

    /** Whether each publisher waits for its acknowledgement before the next message. */
    public boolean maxRate() {
        return rate == 0;
    }

    /** The name of room {@code index}. */
    static String room(int index) {
        return ROOM_PREFIX + index;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
