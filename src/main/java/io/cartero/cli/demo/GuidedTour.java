package io.cartero.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The guided tour of {@code cartero demo}: six steps that move real messages through a real
 * broker, each told as it happens, and a summary of what the consumers received. Steps run one
 * after another on the calling thread; {@link Pause} decides what happens between them.
 */
public final class GuidedTour {
    /**
     * How many messages each room of the tour's broker keeps: few, so that step 5 can show
     * what a consumer is told when history was lost.
     */
    public static final int RETENTION = 5;
    /** How long to wait after each message when a person watches. */
    public static final Duration BEAT = Duration.ofMillis(350);

    private final List<TourStep> steps = List.of(new DecouplingStep(), new QueueStep(),
            new FanOutStep(), new AsyncStep(), new ResumeStep(), new DistributionStep());
    private final TourBrokers brokers;
    private final Narrator narrator;
    private final Pause pause;
    private final Stage stage;
    private final CompletableFuture<Void> stop;

    /**
     * A tour on {@code brokers}, told by {@code narrator}.
     *
     * @param pause what happens between steps
     * @param beat how long to wait after each message; zero for no wait
     * @param stop completes when the person asks the program to stop
     */
    public GuidedTour(TourBrokers brokers, Narrator narrator, Pause pause, Duration beat,
            CompletableFuture<Void> stop) {
        this.brokers = Objects.requireNonNull(brokers, "brokers");
        this.narrator = Objects.requireNonNull(narrator, "narrator");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.stage = new Stage(brokers, narrator, beat, stop);
    }

    /**
     * Runs the tour until its summary, or until the person leaves or stops it.
     *
     * @return what each step that ran sent and received
     * @throws TourException if the broker did not answer or deliver in time
     * @throws io.cartero.broker.BrokerException if the broker failed
     */
    public TourRecord run() throws InterruptedException {
        int total = steps.size() + 1;
        introduce();
        List<StepRecord> done = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (i > 0 && !goOn(i + 1)) {
                return new TourRecord(done, false);
            }
            TourStep step = steps.get(i);
            narrator.heading(narrator.text("demo.heading", i + 1, total,
                    narrator.text(step.key())));
            done.add(step.run(stage));
        }
        if (!goOn(total)) {
            return new TourRecord(done, false);
        }
        TourRecord record = new TourRecord(done, true);
        narrator.heading(narrator.text("demo.heading", total, total,
                narrator.text(Summary.KEY)));
        Summary.tell(narrator, record);
        return record;
    }

    /** Pauses before step {@code next}; whether the tour goes on, else it says goodbye. */
    private boolean goOn(int next) throws InterruptedException {
        if (!stop.isDone() && pause.before(next) && !stop.isDone()) {
            return true;
        }
        narrator.paragraph("demo.left");
        return false;
    }

    private void introduce() {
        narrator.blank();
        narrator.paragraph("demo.intro", describe(), steps.size() + 1);
        if (brokers.kind() == TourBrokers.Kind.REDIS) {
            narrator.paragraph("demo.intro.keys", brokers.prefix());
        }
        if (pause != Pause.NONE) {
            narrator.paragraph("demo.intro.pauses");
        }
    }

    private String describe() {
        if (brokers.kind() == TourBrokers.Kind.MEMORY) {
            return narrator.text("demo.broker.memory");
        }
        return narrator.text("demo.broker.redis", brokers.describe());
    }
}
