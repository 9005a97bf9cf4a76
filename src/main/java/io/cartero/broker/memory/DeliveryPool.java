package io.cartero.broker.memory;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run subscriptions' drains: a few workers (as many as processors, at least
 * two) taking drains from one queue, so that waking a thousand subscriptions is a thousand
 * queue offers, not a thousand thread hand-offs, and busy workers go from one drain to the
 * next without sleeping.
 *
 * <p>A listener may block (the contract allows a slow one, and it must hold back only its own
 * subscription). A watchdog on the broker's timer looks every {@link #WATCH_MILLIS} ms: if
 * drains are waiting and none has finished since the last look, every worker is held up, and
 * it adds one. Workers beyond the base number end after a while without work. Thread-safe.
 */
final class DeliveryPool implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPool.class);
    private static final long WATCH_MILLIS = 50;
    private static final long IDLE_SECONDS = 30;

    private final int base = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ThreadPoolExecutor workers;
    /** Drains finished at the last look; only the watchdog's thread touches it. */
    private long finishedBefore;

    DeliveryPool(ScheduledExecutorService timer) {
        this.workers = new ThreadPoolExecutor(base, base, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreads("cartero-memory-delivery"));
        this.workers.allowCoreThreadTimeOut(true);
        timer.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Queues {@code drain}.
     *
     * @throws java.util.concurrent.RejectedExecutionException after {@link #shutdown}
     */
    @Override
    public void execute(Runnable drain) {
        workers.execute(drain);
    }

    /** Runs the drains already queued, then ends the workers; later ones are refused. */
    void shutdown() {
        workers.shutdown();
    }

    private void watch() {
        long finished = workers.getCompletedTaskCount();
        boolean waiting = !workers.getQueue().isEmpty();
        int size = workers.getCorePoolSize();
        if (waiting && finished == finishedBefore && !workers.isShutdown()) {
            grow(size + 1);
        } else if (!waiting && size > base && workers.getActiveCount() < size) {
            workers.setCorePoolSize(Math.max(base, workers.getActiveCount()));
        }
        finishedBefore = finished;
    }

    private void grow(int size) {
        LOG.debug("every delivery thread held up, adding one threads={}", size);
        workers.setMaximumPoolSize(Math.max(size, workers.getMaximumPoolSize()));
        workers.setCorePoolSize(size);
    }
}
