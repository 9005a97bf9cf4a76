package io.cartero.cli.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The accounts of one step, from what really happened: what the producers sent (acknowledged
 * by the broker) and what each consumer received.
 *
 * @param key the step's bundle key, such as {@code demo.queue}
 * @param sent the texts sent, in order
 * @param received what each consumer received, in order, by the step's own name for it
 *     ({@code 1} and {@code 2}, {@code live} and {@code back}...)
 * @param waited how many messages waited in the broker for a consumer that was away, as the
 *     broker counted them
 * @param lost how many messages the broker said were gone when a consumer resumed
 * @param crossed how many messages went in through one node and out through another
 */
public record StepRecord(String key, List<String> sent, Map<String, List<String>> received,
        int waited, int lost, int crossed) {

    public StepRecord {
        Objects.requireNonNull(key, "key");
        sent = List.copyOf(sent);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        received.forEach((consumer, texts) -> copy.put(consumer, List.copyOf(texts)));
        received = Collections.unmodifiableMap(copy);
    }

    /** What {@code consumer} received, in order; empty if the step has no such consumer. */
    public List<String> receivedBy(String consumer) {
        return received.getOrDefault(consumer, List.of());
    }

    /** How many messages the consumers received together. */
    public int receivedCount() {
        return received.values().stream().mapToInt(List::size).sum();
    }
}
