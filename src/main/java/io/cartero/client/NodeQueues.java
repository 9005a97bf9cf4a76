package io.cartero.client;

import io.cartero.broker.Taken;
import io.cartero.broker.BrokerException;
import io.cartero.broker.Queues;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The queues port over a node connection: {@code push}, {@code pop} and {@code depth} frames.
 * A node waits at most 30 s in one {@code pop}; a longer timeout is served by successive pops.
 */
final class NodeQueues implements Queues {
    /** The longest wait one {@code pop} frame may ask for. */
    static final long MAX_WAIT_MS = 30_000;

    private final NodeConnection connection;
    private final String name;

    NodeQueues(NodeConnection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    @Override
    public CompletableFuture<QueueMessage> push(String queue, String sender, String text) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(sender, "sender");
        return ClientChecks.attempt(() -> {
            ClientChecks.requireSelf(name, sender, "push");
            Names.requireRoom(queue);
            Names.requireText(text);
            return connection.call(id -> new Frame.Push(id, queue, text), Frame.Pushed.class,
                    Frame.Pushed::message);
        });
    }

    @Override
    public CompletableFuture<Optional<QueueMessage>> pop(String queue, Duration timeout) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(timeout, "timeout");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(queue);
            if (timeout.isNegative()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "pop timeout must not be negative: " + timeout);
            }
            return connection.handOff(popWithin(queue, millis(timeout)));
        });
    }

    /** Pops with waits of at most 30 s until a message comes or {@code remainingMs} ran out. */
    private CompletableFuture<Optional<QueueMessage>> popWithin(String queue, long remainingMs) {
        long waitMs = Math.min(remainingMs, MAX_WAIT_MS);
        Duration replyTimeout = Duration.ofMillis(waitMs).plus(NodeConnection.REPLY_TIMEOUT);
        return connection.exchange(id -> new Frame.Pop(id, queue, waitMs), Frame.Popped.class,
                replyTimeout, popped -> Optional.ofNullable(popped.message()))
                .thenCompose(message -> message.isPresent() || remainingMs <= waitMs
                        ? CompletableFuture.completedFuture(message)
                        : popWithin(queue, remainingMs - waitMs));
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
        Objects.requireNonNull(queue, "queue");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(queue);
            return connection.call(id -> new Frame.Depth(id, queue), Frame.QueueDepth.class,
                    Frame.QueueDepth::depth);
        });
    }

    private static long millis(Duration timeout) {
        return timeout.getSeconds() >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE
                : timeout.toMillis();
    }
}
