package io.cartero.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.message.Kind;
import io.cartero.message.Message;
import org.junit.jupiter.api.Test;

/** The ring of a feed's latest deliveries: counts every one, finds the ones it still keeps. */
class DeliveryLogTest {

    @Test
    void countsEveryDeliveryAndFindsTheNewestOnesByEpochAndOffset() {
        DeliveryLog log = new DeliveryLog();
        assertThat(log.latest()).isNull();

        for (long offset = 1; offset <= DeliveryLog.SIZE + 10; offset++) {
            log.delivered(message("e1", offset), 1_000 + offset);
        }

        assertThat(log.count()).isEqualTo(DeliveryLog.SIZE + 10);
        assertThat(log.find("e1", DeliveryLog.SIZE + 10).deliveredAt())
                .isEqualTo(1_000 + DeliveryLog.SIZE + 10);
        assertThat(log.find(null, 11)).isNotNull();
        assertThat(log.find("e1", 10)).as("overwritten by newer deliveries").isNull();
        assertThat(log.find("e2", DeliveryLog.SIZE)).as("another epoch").isNull();
        assertThat(log.latest().offset()).isEqualTo(DeliveryLog.SIZE + 10);
    }

    @Test
    void tellsTheSameOffsetOfTwoEpochsApart() {
        DeliveryLog log = new DeliveryLog();
        log.delivered(message("old", 1), 10);
        log.delivered(message("new", 1), 20);

        assertThat(log.find("old", 1).deliveredAt()).isEqualTo(10);
        assertThat(log.find("new", 1).deliveredAt()).isEqualTo(20);
        assertThat(log.find(null, 1).deliveredAt()).isEqualTo(20);
    }

    private static Message message(String epoch, long offset) {
        return new Message("plaza", offset, epoch, "ana", "hola", 500 + offset, Kind.CHAT);
    }
}
