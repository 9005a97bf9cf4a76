package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentKeysTest {
    private final AtomicLong now = new AtomicLong();
    private final RecentKeys keys = new RecentKeys(Duration.ofMinutes(10), 3, now::get);

    @Test
    void reportsTheSecondAckOfTheSameMessageForAKeyAsDuplicate() {
        assertThat(keys.seenBefore("k1", message("general", 1))).isFalse();
        assertThat(keys.seenBefore("k1", message("general", 1))).isTrue();
    }

    @Test
    void keepsKeysApartByRoom() {
        keys.seenBefore("k1", message("general", 1));

        assertThat(keys.seenBefore("k1", message("aula", 1))).isFalse();
    }

    @Test
    void treatsAnotherMessageForTheKeyAsNew() {
        keys.seenBefore("k1", message("general", 1));

        assertThat(keys.seenBefore("k1", message("general", 7))).isFalse();
        assertThat(keys.seenBefore("k1", message("general", 7))).isTrue();
    }

    @Test
    void forgetsKeysAfterTheWindow() {
        keys.seenBefore("k1", message("general", 1));
        now.addAndGet(Duration.ofMinutes(11).toNanos());

        assertThat(keys.seenBefore("k1", message("general", 1))).isFalse();
    }

    @Test
    void holdsAtMostItsCapacity() {
        for (int i = 1; i <= 4; i++) {
            keys.seenBefore("k" + i, message("general", i));
        }

        assertThat(keys.seenBefore("k1", message("general", 1))).isFalse();
        assertThat(keys.seenBefore("k4", message("general", 4))).isTrue();
    }

    private static Message message(String room, long offset) {
        return new Message(room, offset, "e1", "ana", "hola", 1L, Kind.CHAT);
    }
}
