package io.cartero.client;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one client, shared by all its connections over time: a pool for callers'
 * callbacks that grows with the callbacks running at once (so a callback may wait for another
 * request without deadlock) and one timer thread for timeouts, heartbeats and reconnect
 * delays. Every thread is a daemon.
 *
 * <p>Thread-safe.
 */
final class ClientThreads {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final ThreadPoolExecutor callbacks;
    private final ScheduledThreadPoolExecutor timer;

    ClientThreads() {
        int number = SEQUENCE.incrementAndGet();
        this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("cartero-client-" + number + "-callback"));
        this.timer = new ScheduledThreadPoolExecutor(1,
                daemons("cartero-client-" + number + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs a task on the callback pool, or on the calling thread once the pool has stopped. */
    Executor callbacks() {
        return task -> {
            try {
                callbacks.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /**
     * The callback pool itself, for {@link DeliveryLane}s: once it has stopped, their callbacks
     * are dropped instead of run on the thread that offers them.
     */
    Executor lanes() {
        return callbacks;
    }

    /** The timer; tasks given to it must be short and never block. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops the timer at once, and the pool once it has run what it was given. */
    void shutdown() {
        timer.shutdownNow();
        callbacks.shutdown();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
