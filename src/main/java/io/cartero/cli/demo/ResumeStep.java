package io.cartero.cli.demo;

import io.cartero.broker.Position;
import io.cartero.broker.Resume;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 5: a consumer of a room disconnects and resumes from the last message it saw, getting
 * exactly what it missed; then it stays away for longer than the room keeps, and the broker
 * tells it that history was lost.
 */
final class ResumeStep implements TourStep {
    static final String KEY = "demo.resume";
    /** The consumer's name in the accounts while it first follows the room. */
    static final String LIVE = "live";
    /** ... once it resumed the first time. */
    static final String RESUMED = "resumed";
    /** ... once it resumed after being away for longer than the room keeps. */
    static final String AFTER_LOSS = "after_loss";
    private static final int FIRST = 2;
    private static final int MISSED = 3;
    /** How many more than the room keeps are sent during the second absence. */
    private static final int BEYOND_RETENTION = 3;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public StepRecord run(Stage stage) throws InterruptedException {
        Narrator narrator = stage.narrator();
        String producer = stage.name("producer");
        String room = stage.name("news");
        narrator.paragraph(KEY + ".intro", producer, room);

        Deliveries deliveries = new Deliveries();
        List<String> sent = new ArrayList<>();
        Message seen = follow(stage, deliveries, room, sent);
        away(stage, room, seen, sent, MISSED);
        Resumed first = resume(stage, deliveries, room, seen, RESUMED, MISSED);

        int retention = stage.brokers().retention();
        int longer = retention + BEYOND_RETENTION;
        narrator.blank();
        narrator.paragraph(KEY + ".longer", retention, producer, longer);
        away(stage, room, first.last(), sent, longer);
        Resumed second = resume(stage, deliveries, room, first.last(), AFTER_LOSS, longer);

        narrator.blank();
        narrator.paragraph(KEY + ".lesson", deliveries.count(RESUMED));
        int waited = deliveries.count(RESUMED) + deliveries.count(AFTER_LOSS);
        return new StepRecord(KEY, sent, deliveries.byConsumer(), waited,
                first.lost() + second.lost(), 0);
    }

    /** The consumer follows the room for the first messages; the last one it saw. */
    private static Message follow(Stage stage, Deliveries deliveries, String room,
            List<String> sent) throws InterruptedException {
        String producer = stage.name("producer");
        RoomReader reader = RoomReader.live(message -> read(stage, deliveries, LIVE, message),
                deliveries);
        try (Subscription subscription = Stage.await(
                stage.broker().rooms().subscribe(room, Position.now(), reader))) {
            for (int i = 1; i <= FIRST; i++) {
                stage.publish(stage.broker(), producer, producer, room, next(sent));
                deliveries.awaitCount(LIVE, i);
                stage.beat();
            }
        }
        return reader.last();
    }

    /** The consumer is away after {@code seen} while {@code count} messages are sent. */
    private static void away(Stage stage, String room, Message seen, List<String> sent,
            int count) throws InterruptedException {
        String producer = stage.name("producer");
        stage.narrator().live("demo.live.disconnects", stage.name("consumer"),
                String.valueOf(seen.offset()));
        stage.beat();
        for (int i = 0; i < count; i++) {
            stage.publish(stage.broker(), producer, producer, room, next(sent));
            stage.beat();
        }
    }

    /**
     * The consumer reconnects saying it saw up to {@code seen}; the broker's answer is told
     * before the messages it then delivers.
     */
    private static Resumed resume(Stage stage, Deliveries deliveries, String room, Message seen,
            String id, int missed) throws InterruptedException {
        Narrator narrator = stage.narrator();
        narrator.live("demo.live.resumes", stage.name("consumer"), String.valueOf(seen.offset()));
        deliveries.expect(id);
        RoomReader reader = RoomReader.held(message -> read(stage, deliveries, id, message),
                deliveries);
        Position after = Position.after(seen.epoch(), seen.offset());
        try (Subscription subscription = Stage.await(
                stage.broker().rooms().subscribe(room, after, reader))) {
            Resume resume = subscription.resume();
            reader.awaitOffset(resume.lastOffset());
            tellResume(narrator, resume, seen, reader.first());
            reader.release();
        }
        Message last = reader.last() != null ? reader.last() : seen;
        return new Resumed(missed - deliveries.count(id), last);
    }

    private static void tellResume(Narrator narrator, Resume resume, Message seen,
            Message firstKept) {
        if (resume.status() != Resume.Status.LOST) {
            narrator.live("demo.live.complete");
        } else if (resume.epoch().equals(seen.epoch()) && firstKept != null) {
            long from = seen.offset() + 1;
            long to = firstKept.offset() - 1;
            if (from == to) {
                narrator.live("demo.live.lost_one", String.valueOf(from));
            } else {
                narrator.live("demo.live.lost", String.valueOf(from), String.valueOf(to));
            }
        } else {
            narrator.live("demo.live.lost_all");
        }
    }

    private static void read(Stage stage, Deliveries deliveries, String id, Message message) {
        FanOutStep.read(stage.narrator(), deliveries, id, stage.name("consumer"), message);
    }

    private static String next(List<String> sent) {
        String text = "m" + (sent.size() + 1);
        sent.add(text);
        return text;
    }

    /**
     * How a resume went.
     *
     * @param lost how many of the messages sent while away never arrived
     * @param last the last message received
     */
    private record Resumed(int lost, Message last) {
    }
}
