package io.cartero.broker.memory;

import io.cartero.broker.Taken;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Queues;
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
 * The work queues of a memory broker, created on first use. A waiting pop costs no thread:
 * its timeout is a task on the broker's timer. Thread-safe.
 */
final class MemoryQueues implements Queues {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryQueues.class);
    /** Waits longer than this are cut to it. */
    static final Duration LONGEST_WAIT = Duration.ofDays(1);

    private final MemoryBroker.Settings settings;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ConcurrentMap<String, WorkQueue> queues = new ConcurrentHashMap<>();

    MemoryQueues(MemoryBroker.Settings settings, Lifecycle lifecycle, Clock clock,
            ScheduledExecutorService timer) {
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<QueueMessage> push(String queue, String sender, String text) {
        return lifecycle.call(() -> {
            Names.requireRoom(queue);
            Names.requireUser(sender);
            Names.requireText(text);
            QueueMessage message = new QueueMessage(queue, sender, text, clock.millis());
            queue(queue).push(message);
            LOG.debug("pushed queue={} sender={}", queue, sender);
            return CompletableFuture.completedFuture(message);
        });
    }

    @Override
    public CompletableFuture<Optional<QueueMessage>> pop(String queue, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return lifecycle.call(() -> {
            Names.requireRoom(queue);
            if (timeout.isNegative()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "pop timeout must not be negative: " + timeout);
            }
            PendingPop pop = queue(queue).pop(!timeout.isZero());
            if (!pop.isDone()) {
                expireLater(pop, timeout);
            }
            if (lifecycle.isClosed()) {
                // The broker closed while this pop got in line: it must not wait forever.
                pop.completeExceptionally(Lifecycle.closedException());
            }
            return pop;
        });
    }

    @Override
    public CompletableFuture<Optional<Taken>> take(String queue, Duration timeout,
            Duration lease) {
        return CompletableFuture.failedFuture(new BrokerException("take: not built yet"));
    }

    @Override
    public CompletableFuture<Boolean> confirm(String queue, String receipt) {
        return CompletableFuture.failedFuture(new BrokerException("confirm: not built yet"));
    }

    @Override
    public CompletableFuture<Long> depth(String queue) {
        return lifecycle.call(() -> {
            WorkQueue existing = queues.get(Names.requireRoom(queue));
            return CompletableFuture.completedFuture(existing == null ? 0L : existing.depth());
        });
    }

    /** Fails every waiting pop with {@code cause}. */
    void close(Throwable cause) {
        for (WorkQueue queue : queues.values()) {
            queue.failWaiters(cause);
        }
    }

    int size() {
        return queues.size();
    }

    private WorkQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new WorkQueue(n, settings.queueCapacity()));
    }

    private void expireLater(PendingPop pop, Duration timeout) {
        Duration wait = timeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : timeout;
        try {
            ScheduledFuture<?> expiry = timer.schedule(
                    () -> pop.complete(Optional.empty()), wait.toNanos(), TimeUnit.NANOSECONDS);
            pop.whenComplete((message, failure) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            pop.completeExceptionally(Lifecycle.closedException());
        }
    }
}
