package io.cartero.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.Signals;

/**
 * Asks a long-running command to stop (Ctrl+C, SIGTERM, or a test), and tells whoever asked
 * when the command has finished. Thread-safe.
 */
final class StopSignal {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private final CountDownLatch finishLatch = new CountDownLatch(1);
    /** Each runs once: whoever removes it from the list runs it. */
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    /** Asks the command to stop. Only the first call has an effect. */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            stopLatch.countDown();
            actions.forEach(this::runOnce);
        }
    }

    private void runOnce(Runnable action) {
        if (actions.remove(action)) {
            action.run();
        }
    }

    /**
     * Makes SIGTERM ask the command to stop, like Ctrl+C, instead of starting the JVM's
     * shutdown: the command then finishes its own graceful stop and exits with its own code.
     */
    void trapTerminate() {
        Signals.register("TERM", this::stop);
    }

    /** Whether {@link #stop()} was called. */
    boolean isStopped() {
        return stopped.get();
    }

    /** Runs {@code action} when the command is asked to stop, at once if it already was. */
    void onStop(Runnable action) {
        actions.add(action);
        if (isStopped()) {
            runOnce(action);
        }
    }

    /** Waits until the command is asked to stop. */
    void awaitStop() throws InterruptedException {
        stopLatch.await();
    }

    /** Waits up to {@code timeout} for the command to be asked to stop. */
    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records that the command has finished, cleaned up and printed what it had to. */
    void finished() {
        finishLatch.countDown();
    }

    /** Waits up to {@code timeout} for the command to finish; false if it did not. */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finishLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
