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
 * The queues port over a node connection: {@code push}, {@code pop}, {@code take},
 * {@code confirm} and {@code depth} frames. A node waits at most 30 s in one {@code pop} or
 * {@code take}; a longer timeout is served by successive ones. None of them is sent again
 * after a lost connection: a pop or take may already have taken a message (a taken one comes
 * back when its lease ends), and a push has no idempotency key in the protocol.
 */
final class NodeQueues implements Queues {
    /** The longest wait one {@code pop} frame may ask for. */
    static final long MAX_WAIT_MS = 30_000;

    private final NodeLink link;
    private final String name;

    NodeQueues(NodeLink link, String name) {
        this.link = link;
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
            return link.connection().call(id -> new Frame.Push(id, queue, text), Frame.Pushed.class,
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
            NodeConnection connection = link.connection();
            return connection.handOff(popWithin(connection, queue, millis(timeout)));
        });
    }

    /** Pops with waits of at most 30 s until a message comes or {@code remainingMs} ran out. */
    private CompletableFuture<Optional<QueueMessage>> popWithin(NodeConnection connection,
            String queue, long remainingMs) {
        long waitMs = Math.min(remainingMs, MAX_WAIT_MS);
        Duration replyTimeout = Duration.ofMillis(waitMs).plus(NodeConnection.REPLY_TIMEOUT);
        return connection.exchange(id -> new Frame.Pop(id, queue, waitMs), Frame.Popped.class,
                replyTimeout, popped -> Optional.ofNullable(popped.message()))
                .thenCompose(message -> message.isPresent() || remainingMs <= waitMs
                        ? CompletableFuture.completedFuture(message)
                        : popWithin(connection, queue, remainingMs - waitMs));
    }

    @Override
    public CompletableFuture<Optional<Taken>> take(String queue, Duration timeout,
            Duration lease) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(timeout, "timeout");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(queue);
            long leaseMs = Taken.requireLease(lease).toMillis();
            if (timeout.isNegative()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "take timeout must not be negative: " + timeout);
            }
            NodeConnection connection = link.connection();
            return connection.handOff(takeWithin(connection, queue, millis(timeout), leaseMs));
        });
    }

    /** Takes with waits of at most 30 s until a message comes or {@code remainingMs} ran out. */
    private CompletableFuture<Optional<Taken>> takeWithin(NodeConnection connection,
            String queue, long remainingMs, long leaseMs) {
        long waitMs = Math.min(remainingMs, MAX_WAIT_MS);
        Duration replyTimeout = Duration.ofMillis(waitMs).plus(NodeConnection.REPLY_TIMEOUT);
        return connection.exchange(id -> new Frame.Take(id, queue, waitMs, leaseMs),
                Frame.TakenMessage.class, replyTimeout, NodeQueues::takenOf)
                .thenCompose(taken -> taken.isPresent() || remainingMs <= waitMs
                        ? CompletableFuture.completedFuture(taken)
                        : takeWithin(connection, queue, remainingMs - waitMs, leaseMs));
    }

    private static Optional<Taken> takenOf(Frame.TakenMessage reply) {
        if (reply.message() == null) {
            return Optional.empty();
        }
        if (reply.receipt() == null || reply.attempt() == null) {
            throw new BrokerException("the node took a message from queue " + reply.queue()
                    + " without its receipt or attempt");
        }
        return Optional.of(new Taken(reply.message(), reply.receipt(), reply.attempt()));
    }

    @Override
    public CompletableFuture<Boolean> confirm(String queue, String receipt) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(receipt, "receipt");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(queue);
            Taken.requireReceipt(receipt);
            return link.connection().call(id -> new Frame.Confirm(id, queue, receipt),
                    Frame.Confirmed.class, Frame.Confirmed::found);
        });
    }

    @Override
    public CompletableFuture<Long> depth(String queue) {
        Objects.requireNonNull(queue, "queue");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(queue);
            return link.callRepeatable(id -> new Frame.Depth(id, queue), Frame.QueueDepth.class,
                    Frame.QueueDepth::depth);
        });
    }

    private static long millis(Duration timeout) {
        return timeout.getSeconds() >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE
                : timeout.toMillis();
    }
}
