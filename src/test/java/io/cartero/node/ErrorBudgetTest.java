package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorBudgetTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void allowsTheLimitAndRefusesOneMoreWithinTheWindow() {
        ErrorBudget budget = new ErrorBudget(100, Duration.ofSeconds(10));

        for (int i = 0; i < 100; i++) {
            assertThat(budget.spend(i * 10_000L)).as("error %d", i + 1).isFalse();
        }
        assertThat(budget.spend(100 * 10_000L)).isTrue();
    }

    @Test
    void forgetsErrorsOlderThanTheWindow() {
        ErrorBudget budget = new ErrorBudget(3, Duration.ofSeconds(10));

        for (int i = 0; i < 20; i++) {
            assertThat(budget.spend(i * 4 * SECOND)).as("error %d", i + 1).isFalse();
        }
    }

    @Test
    void countsABurstAfterAQuietTime() {
        ErrorBudget budget = new ErrorBudget(3, Duration.ofSeconds(10));
        budget.spend(0);
        budget.spend(SECOND);

        long later = 60 * SECOND;
        assertThat(budget.spend(later)).isFalse();
        assertThat(budget.spend(later + 1)).isFalse();
        assertThat(budget.spend(later + 2)).isFalse();
        assertThat(budget.spend(later + 3)).isTrue();
    }
}
