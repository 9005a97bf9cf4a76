package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SerialStepsTest {
    private final List<Integer> ran = new ArrayList<>();

    @Test
    void runsStepsInOrderAndWaitsForAStepThatHasNotCompleted() {
        SerialSteps steps = new SerialSteps("c1", 10);
        CompletableFuture<Void> slow = new CompletableFuture<>();

        steps.add(record(1));
        steps.add(() -> {
            ran.add(2);
            return slow;
        });
        steps.add(record(3));
        List<Integer> beforeCompletion = List.copyOf(ran);
        slow.complete(null);

        assertThat(beforeCompletion).containsExactly(1, 2);
        assertThat(ran).containsExactly(1, 2, 3);
    }

    @Test
    void runsAVeryLongQueueWithoutDeepRecursion() {
        SerialSteps steps = new SerialSteps("c1", 200_000);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        steps.add(() -> gate);
        for (int i = 0; i < 100_000; i++) {
            steps.add(record(i));
        }

        gate.complete(null);

        assertThat(ran).hasSize(100_000).isEqualTo(IntStream.range(0, 100_000).boxed().toList());
    }

    @Test
    void refusesStepsBeyondItsCapacityButAlwaysTakesTheCleanUp() {
        SerialSteps steps = new SerialSteps("c1", 2);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        steps.add(() -> gate);

        assertThat(steps.add(record(1))).isTrue();
        assertThat(steps.add(record(2))).isTrue();
        assertThat(steps.add(record(3))).isFalse();
        steps.addAlways(record(4));
        gate.complete(null);

        assertThat(ran).containsExactly(1, 2, 4);
    }

    @Test
    void goesOnAfterAStepThrows() {
        SerialSteps steps = new SerialSteps("c1", 10);

        steps.add(() -> {
            throw new IllegalStateException("boom");
        });
        steps.add(record(2));

        assertThat(ran).containsExactly(2);
    }

    private Supplier<CompletableFuture<Void>> record(int value) {
        return () -> {
            ran.add(value);
            return CompletableFuture.completedFuture(null);
        };
    }
}
