package io.cartero.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartero.broker.Position;
import io.cartero.broker.Resume;
import org.junit.jupiter.api.Test;

class RoomSubscriptionsTest {

    @Test
    void aCompleteResumeStartsWhereItWasAsked() {
        Resume resume = new Resume(Resume.Status.COMPLETE, "e1", 20);

        assertThat(RoomSubscriptions.startOf(Position.after("e1", 12), resume))
                .isEqualTo(new Position.After("e1", 12));
    }

    @Test
    void aLostResumeStartsAtTheBeginningOfTheNewEpoch() {
        Resume resume = new Resume(Resume.Status.LOST, "e2", 20);

        assertThat(RoomSubscriptions.startOf(Position.after("e1", 12), resume))
                .isEqualTo(new Position.After("e2", 0));
    }

    @Test
    void theLastNStartJustBeforeTheNNewest() {
        Resume resume = new Resume(Resume.Status.FRESH, "e1", 20);

        assertThat(RoomSubscriptions.startOf(Position.last(5), resume))
                .isEqualTo(new Position.After("e1", 15));
        assertThat(RoomSubscriptions.startOf(Position.last(50), resume))
                .isEqualTo(new Position.After("e1", 0));
    }

    @Test
    void nowStartsAtTheNewest() {
        Resume resume = new Resume(Resume.Status.FRESH, "e1", 20);

        assertThat(RoomSubscriptions.startOf(Position.now(), resume))
                .isEqualTo(new Position.After("e1", 20));
    }
}
