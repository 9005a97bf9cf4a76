package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.node.Admission.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The secret check and the slowing down of an address that keeps getting it wrong. */
class AdmissionTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final Admission admission = new Admission(Guards.defaults().withSecret("abc-123"));

    @Test
    void admitsTheSecretOnlyExactly() {
        assertThat(admission.check("10.0.0.5", "abc-123", 0)).isEqualTo(Verdict.ADMITTED);
        assertThat(admission.check("10.0.0.5", "abc-1234", 0)).isEqualTo(Verdict.WRONG);
        assertThat(admission.check("10.0.0.5", "ABC-123", 0)).isEqualTo(Verdict.WRONG);
        assertThat(admission.check("10.0.0.5", null, 0)).isEqualTo(Verdict.WRONG);
    }

    @Test
    void makesAnAddressWaitLongerAfterEachWrongSecretPastFive() {
        long now = 0;
        for (int i = 0; i < Admission.FREE_FAILURES; i++) {
            assertThat(admission.check("10.0.0.5", "nope", now)).isEqualTo(Verdict.WRONG);
        }

        assertThat(admission.check("10.0.0.5", "abc-123", now)).isEqualTo(Verdict.WAIT);
        assertThat(admission.check("10.0.0.6", "abc-123", now)).isEqualTo(Verdict.ADMITTED);
        assertThat(admission.secondsToWait("10.0.0.5", now)).isEqualTo(1);

        now += SECOND;
        assertThat(admission.check("10.0.0.5", "nope", now)).isEqualTo(Verdict.WRONG);
        assertThat(admission.secondsToWait("10.0.0.5", now)).isEqualTo(2);
        now += 2 * SECOND;
        assertThat(admission.check("10.0.0.5", "nope", now)).isEqualTo(Verdict.WRONG);
        assertThat(admission.secondsToWait("10.0.0.5", now)).isEqualTo(4);
        now += 4 * SECOND;
        assertThat(admission.check("10.0.0.5", "abc-123", now)).isEqualTo(Verdict.ADMITTED);
    }

    @Test
    void neverMakesAnAddressWaitMoreThanAMinute() {
        long now = 0;
        for (int i = 0; i < 30; i++) {
            admission.check("10.0.0.5", "nope", now);
            now += admission.secondsToWait("10.0.0.5", now) * SECOND;
        }

        assertThat(admission.secondsToWait("10.0.0.5", now - 1)).isBetween(1L, 60L);
        assertThat(admission.check("10.0.0.5", "nope", now)).isEqualTo(Verdict.WRONG);
        assertThat(admission.secondsToWait("10.0.0.5", now)).isEqualTo(60);
    }

    @Test
    void countsOpenConnectionsPerAddressUpToTheLimit() {
        Admission two = new Admission(Guards.defaults().withLimits(4_000, 100, 2, 50, 200));

        assertThat(two.open("10.0.0.5")).isTrue();
        assertThat(two.open("10.0.0.5")).isTrue();
        assertThat(two.open("10.0.0.5")).isFalse();
        assertThat(two.open("10.0.0.6")).isTrue();
        two.closed("10.0.0.5");
        assertThat(two.open("10.0.0.5")).isTrue();
    }
}
