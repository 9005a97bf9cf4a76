package io.cartero.cli.demo;

import io.cartero.message.QueueMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 4: a consumer goes away; the producer goes on sending; the messages wait in the broker,
 * which counts them; the consumer comes back and receives them.
 */
final class AsyncStep implements TourStep {
    static final String KEY = "demo.async";
    /** The consumer's name in the accounts before it goes away. */
    static final String LIVE = "live";
    /** The consumer's name in the accounts once it is back. */
    static final String BACK = "back";
    private static final int WHILE_AWAY = 3;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public StepRecord run(Stage stage) throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String queue = stage.name("orders");
        String consumer = stage.name("consumer");
        narrator.paragraph(KEY + ".intro", producer, queue);

        Deliveries deliveries = new Deliveries();
        List<String> sent = new ArrayList<>();
        receiveOne(stage, deliveries, queue, sent);
        narrator.live("demo.live.away", consumer);
        stage.beat();
        for (int i = 2; i < 2 + WHILE_AWAY; i++) {
            stage.push(producer, queue, "m" + i);
            sent.add("m" + i);
            stage.beat();
        }

        long waiting = Stage.await(stage.broker().queues().depth(queue));
        narrator.live("demo.live.waiting", waiting, queue);
        stage.beat();
        narrator.live("demo.live.back", consumer);
        comeBack(stage, deliveries, queue);

        narrator.blank();
        narrator.paragraph(KEY + ".lesson", waiting, deliveries.count(BACK), producer);
        return new StepRecord(KEY, sent, deliveries.byConsumer(), (int) waiting, 0, 0);
    }

    /** The consumer is there and receives the first message, then stops taking. */
    private static void receiveOne(Stage stage, Deliveries deliveries, String queue,
            List<String> sent) throws InterruptedException {
        QueueTaker before = taker(stage, deliveries, queue, LIVE);
        before.start();
        try {
            stage.push(stage.name("producer"), queue, "m1");
            sent.add("m1");
            deliveries.awaitCount(LIVE, 1);
            stage.beat();
        } finally {
            before.stop();
        }
    }

    /** The consumer takes again until it has what was sent while it was away. */
    private static void comeBack(Stage stage, Deliveries deliveries, String queue)
            throws InterruptedException {
        deliveries.expect(BACK);
        QueueTaker after = taker(stage, deliveries, queue, BACK);
        after.start();
        try {
            deliveries.awaitCount(BACK, WHILE_AWAY);
        } finally {
            after.stop();
        }
    }

    private static QueueTaker taker(Stage stage, Deliveries deliveries, String queue,
            String id) {
        String label = stage.name("consumer");
        return new QueueTaker(stage.broker().queues(), queue, message -> {
            received(stage.narrator(), label, message);
            deliveries.record(id, message.text());
        }, deliveries);
    }

    private static void received(Narrator narrator, String label, QueueMessage message) {
        narrator.live("demo.live.take", label, message.queue(), message.text());
    }
}
