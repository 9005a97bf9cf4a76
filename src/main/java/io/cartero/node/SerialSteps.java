package io.cartero.node;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs steps one at a time in the order they were added, without a thread of its own and
 * without holding a lock while a step runs: whoever adds a step while none is running runs
 * the queue. A step returns a future; the next step starts when it completes, on the thread
 * that completes it. Bounded: adding to a full queue is refused. Thread-safe.
 */
final class SerialSteps {
    private static final Logger LOG = LoggerFactory.getLogger(SerialSteps.class);

    private final String conn;
    private final int capacity;
    private final Queue<Supplier<CompletableFuture<Void>>> pending = new ConcurrentLinkedQueue<>();
    /** How many steps wait in {@link #pending}. */
    private final AtomicInteger size = new AtomicInteger();
    /** Held by the one thread running steps, or by a step that has not completed yet. */
    private final AtomicBoolean running = new AtomicBoolean();

    SerialSteps(String conn, int capacity) {
        this.conn = conn;
        this.capacity = capacity;
    }

    /** Adds a step; {@code false} (and nothing added) if {@code capacity} steps wait. */
    boolean add(Supplier<CompletableFuture<Void>> step) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        pending.add(step);
        drain();
        return true;
    }

    /** Adds a step even if the queue is full: for the clean-up that must always run. */
    void addAlways(Supplier<CompletableFuture<Void>> step) {
        size.incrementAndGet();
        pending.add(step);
        drain();
    }

    private void drain() {
        while (running.compareAndSet(false, true)) {
            Supplier<CompletableFuture<Void>> step;
            while ((step = pending.poll()) != null) {
                size.decrementAndGet();
                CompletableFuture<Void> done = run(step);
                if (!done.isDone()) {
                    done.whenComplete((ignored, failure) -> resume());
                    return;
                }
            }
            running.set(false);
            if (pending.isEmpty()) {
                return;
            }
        }
    }

    private void resume() {
        running.set(false);
        drain();
    }

    private CompletableFuture<Void> run(Supplier<CompletableFuture<Void>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            LOG.warn("step failed conn={}", conn, e);
            return CompletableFuture.completedFuture(null);
        }
    }
}
