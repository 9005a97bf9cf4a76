package io.cartero.cli.demo;

import io.cartero.broker.Position;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;

/** Step 3: two consumers follow one room; each message goes to both (fan-out). */
final class FanOutStep implements TourStep {
    static final String KEY = "demo.fanout";
    /** The consumers' names in the accounts. */
    static final List<String> CONSUMERS = List.of("1", "2");
    private static final int MESSAGES = 4;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public StepRecord run(Stage stage) throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String room = stage.name("class");
        narrator.paragraph(KEY + ".intro", producer, room);

        Deliveries deliveries = new Deliveries();
        List<Subscription> subscriptions = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        try {
            for (String id : CONSUMERS) {
                subscriptions.add(follow(stage, deliveries, room, id));
            }
            for (int i = 1; i <= MESSAGES; i++) {
                stage.publish(stage.broker(), producer, producer, room, "m" + i);
                sent.add("m" + i);
                for (String id : CONSUMERS) {
                    deliveries.awaitCount(id, i);
                }
                stage.beat();
            }
        } finally {
            subscriptions.forEach(Subscription::close);
        }

        stage.tally(deliveries, CONSUMERS);
        narrator.paragraph(KEY + ".lesson", sent.size(), deliveries.total());
        return new StepRecord(KEY, sent, deliveries.byConsumer(), 0, 0, 0);
    }

    private static Subscription follow(Stage stage, Deliveries deliveries, String room,
            String id) throws InterruptedException {
        deliveries.expect(id);
        String label = stage.name("consumer_n", id);
        RoomReader reader = RoomReader.live(message ->
                read(stage.narrator(), deliveries, id, label, message), deliveries);
        return Stage.await(stage.broker().rooms().subscribe(room, Position.now(), reader));
    }

    static void read(Narrator narrator, Deliveries deliveries, String id, String label,
            Message message) {
        narrator.live("demo.live.read", label, message.room(), message.text(),
                String.valueOf(message.offset()));
        deliveries.record(id, message.text());
    }
}
