package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PingRoundsTest {

    @Test
    void everyConnectionIsInExactlyOneSliceAndTheSlicesShareThemEvenly() {
        int[] perSlice = new int[PingRounds.SLICES];
        for (int n = 1; n <= 10_000; n++) {
            String id = "c" + n;
            int slices = 0;
            for (int slice = 0; slice < PingRounds.SLICES; slice++) {
                if (PingRounds.inSlice(id, slice)) {
                    slices++;
                    perSlice[slice]++;
                }
            }
            assertThat(slices).as(id).isEqualTo(1);
        }
        for (int count : perSlice) {
            assertThat(count).isBetween(800, 1_200);
        }
    }

    @Test
    void eachSliceComesOnceEveryRoundOfTicks() {
        PingRounds rounds = new PingRounds();
        for (int round = 0; round < 3; round++) {
            boolean[] seen = new boolean[PingRounds.SLICES];
            for (int tick = 0; tick < PingRounds.SLICES; tick++) {
                int slice = rounds.nextSlice();
                assertThat(seen[slice]).as("slice %d twice in round %d", slice, round).isFalse();
                seen[slice] = true;
            }
        }
    }

    @Test
    void aRoundOfTicksLastsOnePingInterval() {
        assertThat(PingRounds.tickMillis(Duration.ofSeconds(10)) * PingRounds.SLICES)
                .isEqualTo(10_000);
        assertThat(PingRounds.tickMillis(Duration.ofMillis(5))).isEqualTo(1);
    }
}
