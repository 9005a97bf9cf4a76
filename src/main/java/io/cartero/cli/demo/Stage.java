package io.cartero.cli.demo;

import io.cartero.broker.Broker;
import io.cartero.broker.Publish;
import io.cartero.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What every step of the tour works with: the brokers, the narrator and the pace. */
final class Stage {
    private final TourBrokers brokers;
    private final Narrator narrator;
    private final Duration beat;
    private final CompletableFuture<Void> stop;

    /**
     * A stage on {@code brokers}, told by {@code narrator}.
     *
     * @param beat how long to wait after each message, so that people can follow it move;
     *     zero for none
     * @param stop completes when the person asks the program to stop: beats end at once
     */
    Stage(TourBrokers brokers, Narrator narrator, Duration beat, CompletableFuture<Void> stop) {
        this.brokers = Objects.requireNonNull(brokers, "brokers");
        this.narrator = Objects.requireNonNull(narrator, "narrator");
        this.beat = Objects.requireNonNull(beat, "beat");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    TourBrokers brokers() {
        return brokers;
    }

    /** The broker the producers and consumers share. */
    Broker broker() {
        return brokers.shared();
    }

    Narrator narrator() {
        return narrator;
    }

    /** A name in the person's language: of a queue, a room or a consumer. */
    String name(String key, Object... args) {
        return narrator.text("demo.name." + key, args);
    }

    /** Waits one beat, unless the tour has no pace or the program is stopping. */
    void beat() throws InterruptedException {
        if (beat.isZero() || stop.isDone()) {
            return;
        }
        try {
            stop.get(beat.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return;
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    /** {@code sender} pushes {@code text} onto {@code queue}: told, then done. */
    void push(String sender, String queue, String text) throws InterruptedException {
        narrator.live("demo.live.push", sender, queue, text);
        await(broker().queues().push(queue, sender, text));
    }

    /** {@code sender} publishes {@code text} in {@code room} of {@code on}: told, then done. */
    Message publish(Broker on, String label, String sender, String room, String text)
            throws InterruptedException {
        narrator.live("demo.live.push", label, room, text);
        return await(on.rooms().publish(Publish.chat(room, sender, text)));
    }

    /** Tells what each of the numbered consumers {@code ids} received, one line each. */
    void tally(Deliveries deliveries, List<String> ids) {
        narrator.blank();
        for (String id : ids) {
            List<String> texts = deliveries.byConsumer().getOrDefault(id, List.of());
            narrator.live("demo.live.got", name("consumer_n", id), texts.size(),
                    String.join(", ", texts));
        }
        narrator.blank();
    }

    /**
     * The value of {@code future}; its failure is thrown as it came.
     *
     * @throws TourException if it does not complete within {@link Deliveries#WAIT}
     */
    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(Deliveries.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime
                    : new CompletionException(cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TourException("error.demo_timeout", Deliveries.WAIT.toSeconds());
        }
    }
}
