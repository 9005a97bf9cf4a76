package io.cartero.cli.demo;

import io.cartero.message.QueueMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 1: a producer puts messages into a queue of the broker and a consumer takes them out;
 * neither knows the other.
 */
final class DecouplingStep implements TourStep {
    static final String KEY = "demo.decoupling";
    /** The consumer's name in the accounts. */
    static final String CONSUMER = "consumer";
    private static final int MESSAGES = 3;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public StepRecord run(Stage stage) throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String queue = stage.name("greetings");
        String consumer = stage.name("consumer");
        narrator.paragraph(KEY + ".intro", producer, queue);

        Deliveries deliveries = new Deliveries();
        QueueTaker taker = new QueueTaker(stage.broker().queues(), queue,
                message -> received(narrator, deliveries, consumer, message), deliveries);
        List<String> sent = new ArrayList<>();
        taker.start();
        try {
            for (int i = 1; i <= MESSAGES; i++) {
                stage.push(producer, queue, "m" + i);
                sent.add("m" + i);
                deliveries.awaitCount(CONSUMER, i);
                stage.beat();
            }
        } finally {
            taker.stop();
        }

        narrator.blank();
        narrator.paragraph(KEY + ".lesson");
        return new StepRecord(KEY, sent, deliveries.byConsumer(), 0, 0, 0);
    }

    private static void received(Narrator narrator, Deliveries deliveries, String consumer,
            QueueMessage message) {
        narrator.live("demo.live.take_from", consumer, message.queue(), message.text(),
                message.sender());
        deliveries.record(CONSUMER, message.text());
    }
}
