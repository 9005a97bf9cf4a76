package io.cartero.cli.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 2: two consumers take from one queue; each message goes to exactly one of them. The
 * original workshop's design, and why it does not make a group chat.
 */
final class QueueStep implements TourStep {
    static final String KEY = "demo.queue";
    /** The consumers' names in the accounts. */
    static final List<String> CONSUMERS = List.of("1", "2");
    private static final int MESSAGES = 6;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public StepRecord run(Stage stage) throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String queue = stage.name("tasks");
        narrator.paragraph(KEY + ".intro", producer, queue);

        Deliveries deliveries = new Deliveries();
        List<QueueTaker> takers = CONSUMERS.stream()
                .map(id -> taker(stage, deliveries, queue, id)).toList();
        List<String> sent = new ArrayList<>();
        takers.forEach(QueueTaker::start);
        try {
            for (int i = 1; i <= MESSAGES; i++) {
                stage.push(producer, queue, "m" + i);
                sent.add("m" + i);
                deliveries.awaitTotal(i);
                stage.beat();
            }
        } finally {
            takers.forEach(QueueTaker::stop);
        }

        stage.tally(deliveries, CONSUMERS);
        narrator.paragraph(KEY + ".lesson");
        return new StepRecord(KEY, sent, deliveries.byConsumer(), 0, 0, 0);
    }

    private static QueueTaker taker(Stage stage, Deliveries deliveries, String queue,
            String id) {
        deliveries.expect(id);
        String label = stage.name("consumer_n", id);
        return new QueueTaker(stage.broker().queues(), queue, message -> {
            stage.narrator().live("demo.live.take", label, message.queue(), message.text());
            deliveries.record(id, message.text());
        }, deliveries).busyBetweenMessages();
    }
}
