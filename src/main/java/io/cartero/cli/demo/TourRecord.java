package io.cartero.cli.demo;

import java.util.List;
import java.util.Optional;

/**
 * The accounts of a tour: one record per step that ran.
 *
 * @param steps the steps that ran, in order
 * @param finished whether the tour reached its summary (not left halfway)
 */
public record TourRecord(List<StepRecord> steps, boolean finished) {

    public TourRecord {
        steps = List.copyOf(steps);
    }

    /** The record of the step with {@code key}, if it ran. */
    public Optional<StepRecord> step(String key) {
        return steps.stream().filter(step -> step.key().equals(key)).findFirst();
    }

    /** Messages sent in the whole tour. */
    public int sent() {
        return steps.stream().mapToInt(step -> step.sent().size()).sum();
    }

    /** Messages received by consumers in the whole tour. */
    public int received() {
        return steps.stream().mapToInt(StepRecord::receivedCount).sum();
    }

    /** Messages that waited in the broker for a consumer that was away. */
    public int waited() {
        return steps.stream().mapToInt(StepRecord::waited).sum();
    }

    /** Messages the broker said were gone. */
    public int lost() {
        return steps.stream().mapToInt(StepRecord::lost).sum();
    }
}
