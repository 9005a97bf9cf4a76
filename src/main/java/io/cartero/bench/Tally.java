package io.cartero.bench;

import java.util.List;

/**
 * The exact count of a run, from the ledgers once every connection has stopped: every
 * message a publisher had acknowledged must have reached every subscriber of its room.
 *
 * @param published messages sent by the publishers
 * @param acknowledged messages the broker acknowledged
 * @param refused messages the broker refused (an error reply)
 * @param unanswered messages sent that got neither an acknowledgement nor an error
 * @param expected deliveries owed: each acknowledged message once to each subscriber of its
 *     room
 * @param delivered distinct messages received, summed over subscribers
 * @param lost acknowledged messages that a subscriber still open at the end never received:
 *     silent loss
 * @param dropped acknowledged messages not received by subscribers the node closed (a slow
 *     consumer closed with 4001, for example): loss the subscriber was told about
 * @param duplicates messages a subscriber received more than once
 * @param foreign frames in the rooms that no publisher of the run sent
 * @param historyLost times a subscriber was told it fell behind retention
 * @param passedOver acknowledged messages a subscriber never received because it fell behind
 *     retention and was told so: loss the subscriber knows of, not counted in {@code lost}
 */
public record Tally(long published, long acknowledged, long refused, long unanswered, long expected,
        long delivered, long lost, long dropped, long duplicates, long foreign,
        long historyLost, long passedOver) {

    /** A subscriber's ledger and whether its connection was closed by the other side. */
    record Subscriber(SequenceLedger ledger, boolean closed) {
    }

    /** Counts {@code subscribers} against what {@code publishers} had acknowledged. */
    static Tally of(List<PublishLedger> publishers, List<Subscriber> subscribers) {
        long published = 0;
        long acknowledged = 0;
        long refused = 0;
        long unanswered = 0;
        for (PublishLedger publisher : publishers) {
            published += publisher.sent();
            acknowledged += publisher.ackCount();
            refused += publisher.failedCount();
            unanswered += publisher.unanswered();
        }
        long expected = 0;
        long delivered = 0;
        long lost = 0;
        long dropped = 0;
        long duplicates = 0;
        long foreign = 0;
        long historyLost = 0;
        long passedOver = 0;
        for (Subscriber subscriber : subscribers) {
            SequenceLedger ledger = subscriber.ledger();
            long missed = 0;
            for (PublishLedger publisher : publishers) {
                if (publisher.room() == ledger.room()) {
                    expected += publisher.ackCount();
                    missed += missed(publisher, ledger);
                    passedOver += ledger.passedOverOf(publisher);
                }
            }
            if (subscriber.closed()) {
                dropped += missed;
            } else {
                lost += missed;
            }
            delivered += ledger.received();
            duplicates += ledger.duplicates();
            foreign += ledger.foreignFrames();
            historyLost += ledger.historyLostCount();
        }
        return new Tally(published, acknowledged, refused, unanswered, expected, delivered,
                lost, dropped, duplicates, foreign, historyLost, passedOver);
    }

    private static long missed(PublishLedger publisher, SequenceLedger ledger) {
        return ledger.missedOf(publisher);
    }
}
