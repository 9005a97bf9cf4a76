package io.cartero.broker.redis;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one timer thread ({@code cartero-redis-timer-1}): retries, unblock attempts and
 * the periodic refresh of presence and names. Tasks must be short. Thread-safe.
 */
final class Timer {
    private static final Logger LOG = LoggerFactory.getLogger(Timer.class);

    private final ScheduledThreadPoolExecutor executor =
            new ScheduledThreadPoolExecutor(1, new DaemonThreads("cartero-redis-timer"));

    Timer() {
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} once after {@code delay}; nothing once the timer stopped. */
    void later(Runnable task, Duration delay) {
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("timer stopped, task dropped");
        }
    }

    /** Runs {@code task} every {@code period}, first after one period. */
    void every(Runnable task, Duration period) {
        long millis = period.toMillis();
        executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        executor.shutdownNow();
    }
}
