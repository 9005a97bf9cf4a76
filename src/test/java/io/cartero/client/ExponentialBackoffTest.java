package io.cartero.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
    private static final Duration FIRST = Duration.ofMillis(250);
    private static final Duration CAP = Duration.ofSeconds(10);

    @Test
    void ceilingDoublesFromTheFirstDelayUpToTheCap() {
        ExponentialBackoff backoff = new ExponentialBackoff(FIRST, CAP);

        assertThat(backoff.ceiling(1)).isEqualTo(250);
        assertThat(backoff.ceiling(2)).isEqualTo(500);
        assertThat(backoff.ceiling(3)).isEqualTo(1_000);
        assertThat(backoff.ceiling(6)).isEqualTo(8_000);
        assertThat(backoff.ceiling(7)).isEqualTo(10_000);
        assertThat(backoff.ceiling(1_000)).isEqualTo(10_000);
    }

    @Test
    void delayIsARandomPickBetweenZeroAndTheCeiling() {
        ExponentialBackoff highest = new ExponentialBackoff(FIRST, CAP, bound -> bound);
        ExponentialBackoff lowest = new ExponentialBackoff(FIRST, CAP, bound -> 0);
        ExponentialBackoff random = new ExponentialBackoff(FIRST, CAP);

        assertThat(highest.delay(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(lowest.delay(3)).isZero();
        for (int attempt = 1; attempt < 20; attempt++) {
            assertThat(random.delay(attempt).toMillis()).isBetween(0L, 10_000L);
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ZERO, CAP))
                .hasMessageContaining("first");
        assertThatThrownBy(() -> new ExponentialBackoff(CAP, FIRST))
                .hasMessageContaining("cap");
        assertThatThrownBy(() -> new ExponentialBackoff(FIRST, CAP).delay(0))
                .hasMessageContaining("attempt");
    }
}
