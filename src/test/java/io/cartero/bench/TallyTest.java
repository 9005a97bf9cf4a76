package io.cartero.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The accounting finds every loss and duplicate fed to it, and nothing more. */
class TallyTest {

    @Test
    void inOrderDeliveriesCountExactly() {
        PublishLedger publisher = acked(0, 0, 100);
        SequenceLedger subscriber = new SequenceLedger(0, 1);
        for (long s = 1; s <= 100; s++) {
            assertThat(subscriber.record(0, s)).isTrue();
        }

        Tally tally = Tally.of(List.of(publisher), List.of(open(subscriber)));

        assertThat(tally.expected()).isEqualTo(100);
        assertThat(tally.delivered()).isEqualTo(100);
        assertThat(tally.lost()).isZero();
        assertThat(tally.duplicates()).isZero();
    }

    @Test
    void aSequenceGapIsCountedAsLost() {
        PublishLedger publisher = acked(0, 0, 10);
        SequenceLedger subscriber = new SequenceLedger(0, 1);
        for (long s : new long[] {1, 2, 3, 6, 7, 8, 9, 10}) {
            subscriber.record(0, s);
        }

        Tally tally = Tally.of(List.of(publisher), List.of(open(subscriber)));

        assertThat(tally.lost()).isEqualTo(2);
        assertThat(tally.delivered()).isEqualTo(8);
        assertThat(tally.duplicates()).isZero();
    }

    @Test
    void aMissingTailIsLostToo() {
        PublishLedger publisher = acked(0, 0, 10);
        SequenceLedger subscriber = new SequenceLedger(0, 1);
        for (long s = 1; s <= 7; s++) {
            subscriber.record(0, s);
        }

        Tally tally = Tally.of(List.of(publisher), List.of(open(subscriber)));

        assertThat(tally.lost()).isEqualTo(3);
    }

    @Test
    void aRepeatedMessageIsADuplicateAndALateOneIsNot() {
        PublishLedger publisher = acked(0, 0, 5);
        SequenceLedger subscriber = new SequenceLedger(0, 1);
        for (long s : new long[] {1, 3, 2, 3, 4, 5, 5}) {
            subscriber.record(0, s);
        }

        Tally tally = Tally.of(List.of(publisher), List.of(open(subscriber)));

        assertThat(tally.duplicates()).isEqualTo(2);
        assertThat(tally.lost()).isZero();
        assertThat(tally.delivered()).isEqualTo(5);
    }

    @Test
    void onlyAcknowledgedMessagesOfTheSubscribersRoomAreOwed() {
        PublishLedger sameRoom = new PublishLedger(0, 0);
        for (long s = 1; s <= 4; s++) {
            sameRoom.next(s);
        }
        sameRoom.acked(1);
        sameRoom.acked(2);
        sameRoom.failed(3);
        PublishLedger otherRoom = acked(1, 1, 50);
        SequenceLedger subscriber = new SequenceLedger(0, 2);
        subscriber.record(0, 1);

        Tally tally = Tally.of(List.of(sameRoom, otherRoom),
                List.of(new Tally.Subscriber(subscriber, false)));

        assertThat(tally.expected()).isEqualTo(2);
        assertThat(tally.lost()).isEqualTo(1);
        assertThat(tally.refused()).isEqualTo(1);
        assertThat(tally.unanswered()).isEqualTo(1);
        assertThat(tally.published()).isEqualTo(54);
    }

    @Test
    void whatAClosedConnectionMissedIsDroppedNotLost() {
        PublishLedger publisher = acked(0, 0, 10);
        SequenceLedger open = new SequenceLedger(0, 1);
        SequenceLedger closed = new SequenceLedger(0, 1);
        for (long s = 1; s <= 10; s++) {
            open.record(0, s);
        }
        for (long s = 1; s <= 4; s++) {
            closed.record(0, s);
        }

        Tally tally = Tally.of(List.of(publisher), List.of(new Tally.Subscriber(open, false),
                new Tally.Subscriber(closed, true)));

        assertThat(tally.lost()).isZero();
        assertThat(tally.dropped()).isEqualTo(6);
    }

    @Test
    void theJumpRightAfterAHistoryLostNoticeIsPassedOverNotLost() {
        PublishLedger first = acked(0, 0, 20);
        PublishLedger second = acked(1, 0, 20);
        SequenceLedger subscriber = new SequenceLedger(0, 2);
        for (long s = 1; s <= 5; s++) {
            subscriber.record(0, s);
            subscriber.record(1, s);
        }
        subscriber.historyLost();
        // Both publishers resume further on; a later gap of the first, with no notice, is loss.
        for (long s : new long[] {12, 13, 14, 15, 18, 19, 20}) {
            subscriber.record(0, s);
        }
        for (long s = 9; s <= 20; s++) {
            subscriber.record(1, s);
        }

        Tally tally = Tally.of(List.of(first, second), List.of(open(subscriber)));

        assertThat(tally.passedOver()).isEqualTo(6 + 3);
        assertThat(tally.lost()).isEqualTo(2);
        assertThat(tally.historyLost()).isEqualTo(1);
        assertThat(tally.delivered()).isEqualTo(40 - 9 - 2);
    }

    @Test
    void aPassedOverMessageThatWasNeverAcknowledgedIsNotCounted() {
        PublishLedger publisher = new PublishLedger(0, 0);
        for (long s = 1; s <= 10; s++) {
            publisher.next(s);
            if (s != 4) {
                publisher.acked(s);
            }
        }
        SequenceLedger subscriber = new SequenceLedger(0, 1);
        subscriber.record(0, 1);
        subscriber.record(0, 2);
        subscriber.historyLost();
        for (long s = 7; s <= 10; s++) {
            subscriber.record(0, s);
        }

        Tally tally = Tally.of(List.of(publisher), List.of(open(subscriber)));

        assertThat(tally.passedOver()).isEqualTo(3);
        assertThat(tally.lost()).isZero();
        assertThat(tally.unanswered()).isEqualTo(1);
    }

    @Test
    void framesOfUnknownPublishersAreForeign() {
        SequenceLedger subscriber = new SequenceLedger(0, 2);

        assertThat(subscriber.record(2, 1)).isFalse();
        assertThat(subscriber.record(-1, 1)).isFalse();
        assertThat(subscriber.record(0, 0)).isFalse();

        assertThat(subscriber.foreignFrames()).isEqualTo(3);
        assertThat(subscriber.received()).isZero();
    }

    @Test
    void anAnswerCountsOnce() {
        PublishLedger publisher = new PublishLedger(0, 0);
        long sequence = publisher.next(42);

        assertThat(publisher.acked(sequence)).isEqualTo(42);
        assertThat(publisher.acked(sequence)).isEqualTo(-1);
        publisher.failed(sequence);
        assertThat(publisher.acked(99)).isEqualTo(-1);

        assertThat(publisher.ackCount()).isEqualTo(1);
        assertThat(publisher.failedCount()).isZero();
    }

    private static Tally.Subscriber open(SequenceLedger ledger) {
        return new Tally.Subscriber(ledger, false);
    }

    private static PublishLedger acked(int index, int room, int count) {
        PublishLedger ledger = new PublishLedger(index, room);
        for (int i = 1; i <= count; i++) {
            ledger.acked(ledger.next(i));
        }
        return ledger;
    }
}
