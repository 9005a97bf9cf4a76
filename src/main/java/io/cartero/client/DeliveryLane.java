package io.cartero.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subscription's callbacks one at a time, in the order they were offered, on threads
 * of a shared executor. At most {@code capacity} callbacks wait; a lane that is full refuses
 * more, so that a listener that never returns cannot make the client's memory grow. Lanes do
 * not wait for each other: a slow listener delays only its own subscription.
 *
 * <p>Thread-safe.
 */
final class DeliveryLane {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLane.class);

    /** Callbacks run in one turn on a thread before the lane gives the thread back. */
    private static final int BATCH = 1_000;

    private final String name;
    private final Executor executor;
    private final int capacity;
    private final Object lock = new Object();
    /** Callbacks waiting to run; guarded by {@code lock}. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Whether a turn is submitted or running; guarded by {@code lock}. */
    private boolean scheduled;
    /** Whether the lane accepts no more callbacks; guarded by {@code lock}. */
    private boolean finished;

    DeliveryLane(String name, Executor executor, int capacity) {
        this.name = name;
        this.executor = executor;
        this.capacity = capacity;
    }

    /** Queues {@code task}; {@code false} if the lane is full or finished. */
    boolean offer(Runnable task) {
        synchronized (lock) {
            if (finished || tasks.size() >= capacity) {
                return false;
            }
            tasks.add(task);
            scheduleLocked();
            return true;
        }
    }

    /**
     * Runs {@code lastTask} after the callbacks already queued, then accepts nothing more.
     * Does nothing if the lane was already finished.
     */
    void finish(Runnable lastTask) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            tasks.add(lastTask);
            scheduleLocked();
        }
    }

    /** Drops the callbacks not yet run and accepts nothing more. */
    void discard() {
        synchronized (lock) {
            finished = true;
            tasks.clear();
        }
    }

    private void scheduleLocked() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        try {
            executor.execute(this::runTurn);
        } catch (RejectedExecutionException e) {
            scheduled = false;
            LOG.debug("lane dropped callbacks after shutdown lane={} dropped={}", name,
                    tasks.size());
            tasks.clear();
            finished = true;
        }
    }

    private void runTurn() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = next();
            if (task == null) {
                return;
            }
            run(task);
        }
        synchronized (lock) {
            scheduled = false;
            if (!tasks.isEmpty()) {
                scheduleLocked();
            }
        }
    }

    private Runnable next() {
        synchronized (lock) {
            Runnable task = tasks.poll();
            if (task == null) {
                scheduled = false;
            }
            return task;
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            LOG.warn("listener failed lane={} error={}", name, e.toString(), e);
        }
    }
}
