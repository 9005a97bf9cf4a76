package io.cartero.broker.memory;

import io.cartero.broker.Queues;
import io.cartero.broker.Taken;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work queues of a memory broker, created on first use or found in the journal at start.
 * A waiting pop or take costs no thread: its timeout, like a lease's end, is a task on the
 * broker's timer. A push and a confirm are answered once the journal made them durable; a
 * pop, a take and a lease's end are written before they show, and made durable with the next
 * flush. Thread-safe.
 */
final class MemoryQueues implements Queues {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryQueues.class);
    /** Waits longer than this are cut to it. */
    static final Duration LONGEST_WAIT = Duration.ofDays(1);

    private final MemoryBroker.Settings settings;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Journal journal;
    /** Starts the receipts of this broker's queues. */
    private final String generation = Epochs.next();
    private final ConcurrentMap<String, WorkQueue> queues = new ConcurrentHashMap<>();

    MemoryQueues(MemoryBroker.Settings settings, Lifecycle lifecycle, Clock clock,
            ScheduledExecutorService timer, Journal journal) {
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.timer = timer;
        this.journal = journal;
        for (Journal.QueueContents found : journal.queues()) {
            queues.put(found.queue(), newQueue(found.queue(), found));
        }
    }

    @Override
    public CompletableFuture<QueueMessage> push(String queue, String sender, String text) {
        return lifecycle.call(() -> {
            Names.requireRoom(queue);
            Names.requireUser(sender);
            Names.requireText(text);
            QueueMessage message = new QueueMessage(queue, sender, text, clock.millis());
            queue(queue).push(message).await();
            LOG.debug("pushed queue={} sender={}", queue, sender);
            return CompletableFuture.completedFuture(message);
        });
    }

    @Override
    public CompletableFuture<Optional<QueueMessage>> pop(String queue, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return lifecycle.call(() -> {
            Names.requireRoom(queue);
            requireTimeout(timeout);
            return waitAtMost(queue(queue).pop(!timeout.isZero()), timeout);
        });
    }

    @Override
    public CompletableFuture<Optional<Taken>> take(String queue, Duration timeout,
            Duration lease) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(lease, "lease");
        return lifecycle.call(() -> {
            Names.requireRoom(queue);
            requireTimeout(timeout);
            Taken.requireLease(lease);
            return waitAtMost(queue(queue).take(lease, !timeout.isZero()), timeout);
        });
    }

    @Override
    public CompletableFuture<Boolean> confirm(String queue, String receipt) {
        return lifecycle.call(() -> {
            WorkQueue existing = queues.get(Names.requireRoom(queue));
            Taken.requireReceipt(receipt);
            Journal.Commit commit = existing == null ? null : existing.confirm(receipt);
            if (commit == null) {
                return CompletableFuture.completedFuture(false);
            }
            commit.await();
            LOG.debug("confirmed queue={} receipt={}", queue, receipt);
            return CompletableFuture.completedFuture(true);
        });
    }

    @Override
    public CompletableFuture<Long> depth(String queue) {
        return lifecycle.call(() -> {
            WorkQueue existing = queues.get(Names.requireRoom(queue));
            return CompletableFuture.completedFuture(existing == null ? 0L : existing.depth());
        });
    }

    /** Fails every waiting pop and take with {@code cause}. */
    void close(Throwable cause) {
        for (WorkQueue queue : queues.values()) {
            queue.close(cause);
        }
    }

    int size() {
        return queues.size();
    }

    private WorkQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> newQueue(n, null));
    }

    private WorkQueue newQueue(String name, Journal.QueueContents found) {
        return new WorkQueue(name, settings.queueCapacity(), journal, timer, generation, found);
    }

    private static void requireTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "timeout must not be negative: " + timeout);
        }
    }

    /** {@code waiter}, completed empty if no message came within {@code timeout}. */
    private <T> Waiter<T> waitAtMost(Waiter<T> waiter, Duration timeout) {
        if (!waiter.isDone()) {
            expireLater(waiter, timeout);
        }
        if (lifecycle.isClosed()) {
            // The broker closed while this caller got in line: it must not wait forever.
            waiter.completeExceptionally(Lifecycle.closedException());
        }
        return waiter;
    }

    private void expireLater(Waiter<?> waiter, Duration timeout) {
        Duration wait = timeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : timeout;
        try {
            ScheduledFuture<?> expiry = timer.schedule(() -> waiter.complete(Optional.empty()),
                    wait.toNanos(), TimeUnit.NANOSECONDS);
            waiter.whenComplete((value, failure) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            waiter.completeExceptionally(Lifecycle.closedException());
        }
    }
}
