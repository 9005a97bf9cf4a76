package io.cartero.node;

import io.cartero.broker.Queues;
import io.cartero.broker.Taken;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.QueueMessage;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection's queue requests: push, pop, take, confirm and depth. A {@code pop} or
 * {@code take} never holds a thread while it waits: the broker completes its future, and the
 * reply goes out as soon as it does. Pops and takes still waiting when the connection closes
 * are cancelled, which takes nothing from the queue. Leases the connection holds are not
 * confirmed when it closes: they end on their own and their messages go back to the queue.
 * While the operator has paused the connection, its pops and takes get nothing: each one is
 * answered empty after its wait, and the messages stay in the queue.
 */
final class QueueRequests {
    /** The longest a pop may wait, in milliseconds. */
    static final long MAX_WAIT_MS = 30_000;
    /** The most pops and takes that may wait at once on one connection. */
    static final int MAX_WAITING_POPS = 100;
    /** The shortest lease a take may ask for, in milliseconds. */
    static final long MIN_LEASE_MS = Taken.SHORTEST_LEASE.toMillis();
    /** The longest lease a take may ask for, in milliseconds. */
    static final long MAX_LEASE_MS = Taken.LONGEST_LEASE.toMillis();

    private final NodeContext node;
    private final Replies replies;
    private final Supplier<String> user;
    private final Activity activity;
    /** Pops and takes the broker has not answered yet; any thread removes those it completes. */
    private final Set<CompletableFuture<?>> waiting =
            ConcurrentHashMap.newKeySet();

    QueueRequests(NodeContext node, Replies replies, Supplier<String> user, Activity activity) {
        this.node = node;
        this.activity = activity;
        this.replies = replies;
        this.user = user;
    }

    void push(Frame.Push request) {
        String sender = user.get();
        if (sender == null) {
            throw new ValidationException(ErrorCode.NAME_REQUIRED,
                    "push needs a name: say hello with a name first");
        }
        String queue = Names.requireRoom(request.queue());
        String text = Names.requireText(request.text());
        node.view().queueSeen(queue);
        replies.answer(request.id(), queues().push(queue, sender, text)
                .thenApply(message -> {
                    activity.pushed(queue);
                    return new Frame.Pushed(request.id(), message);
                }));
    }

    void pop(Frame.Pop request) {
        String queue = Names.requireRoom(request.queue());
        Duration wait = waitOf(request.waitMs());
        requireRoomToWait();
        consumes(queue);
        CompletableFuture<Optional<QueueMessage>> popped = waiting(activity.paused()
                ? held(wait) : queues().pop(queue, wait));
        popped.thenAccept(message -> message.ifPresent(ignored -> activity.took(queue)));
        replies.answerWhenReady(request.id(), popped.thenApply(message ->
                new Frame.Popped(request.id(), queue, message.orElse(null))));
    }

    void take(Frame.Take request) {
        String queue = Names.requireRoom(request.queue());
        Duration wait = waitOf(request.waitMs());
        if (request.leaseMs() == null) {
            throw new ValidationException(ErrorCode.MISSING_FIELD, "take needs lease_ms");
        }
        long leaseMs = request.leaseMs();
        if (leaseMs < MIN_LEASE_MS || leaseMs > MAX_LEASE_MS) {
            throw invalid("lease_ms must be between " + MIN_LEASE_MS + " and " + MAX_LEASE_MS
                    + ": " + leaseMs);
        }
        requireRoomToWait();
        consumes(queue);
        CompletableFuture<Optional<Taken>> taken = waiting(activity.paused()
                ? held(wait) : queues().take(queue, wait, Duration.ofMillis(leaseMs)));
        taken.thenAccept(lease -> lease.ifPresent(ignored -> activity.took(queue)));
        replies.answerWhenReady(request.id(), taken.thenApply(lease -> takenFrame(
                request.id(), queue, lease.orElse(null))));
    }

    void confirm(Frame.Confirm request) {
        String queue = Names.requireRoom(request.queue());
        if (request.receipt() == null) {
            throw new ValidationException(ErrorCode.MISSING_FIELD, "confirm needs a receipt");
        }
        String receipt = Taken.requireReceipt(request.receipt());
        replies.answer(request.id(), queues().confirm(queue, receipt)
                .thenApply(found -> new Frame.Confirmed(request.id(), queue, receipt, found)));
    }

    void depth(Frame.Depth request) {
        String queue = Names.requireRoom(request.queue());
        replies.answer(request.id(), queues().depth(queue)
                .thenApply(depth -> new Frame.QueueDepth(request.id(), queue, depth)));
    }

    /** Cancels every pop and take still waiting; the broker keeps their messages. */
    void cancelWaiting() {
        for (CompletableFuture<?> request : List.copyOf(waiting)) {
            request.cancel(false);
        }
        waiting.clear();
    }

    /**
     * The answer to a pop or take of a consumer the operator paused: nothing, after the wait,
     * as if no message had come; the queue keeps its messages.
     */
    private static <T> CompletableFuture<Optional<T>> held(Duration wait) {
        return new CompletableFuture<Optional<T>>()
                .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void consumes(String queue) {
        activity.consumes(queue);
        node.view().queueSeen(queue);
    }

    private static Duration waitOf(Long waitMs) {
        long wait = waitMs == null ? 0 : waitMs;
        if (wait < 0 || wait > MAX_WAIT_MS) {
            throw invalid("wait_ms must be between 0 and " + MAX_WAIT_MS + ": " + wait);
        }
        return Duration.ofMillis(wait);
    }

    private void requireRoomToWait() {
        if (waiting.size() >= MAX_WAITING_POPS) {
            throw invalid("more than " + MAX_WAITING_POPS
                    + " pops and takes are waiting on this connection");
        }
    }

    private <T> CompletableFuture<T> waiting(CompletableFuture<T> request) {
        waiting.add(request);
        request.whenComplete((result, failure) -> waiting.remove(request));
        return request;
    }

    private static Frame.TakenMessage takenFrame(Long id, String queue, Taken taken) {
        if (taken == null) {
            return new Frame.TakenMessage(id, queue, null, null, null);
        }
        return new Frame.TakenMessage(id, queue, taken.message(), taken.receipt(),
                taken.attempt());
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private Queues queues() {
        return node.broker().queues();
    }
}
