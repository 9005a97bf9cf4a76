package io.cartero.node;

import io.cartero.broker.Queues;
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
import java.util.function.Supplier;

/**
 * One connection's queue requests: push, pop and depth. A {@code pop} never holds a thread
 * while it waits: the broker completes its future, and the reply goes out as soon as it does.
 * Pops still waiting when the connection closes are cancelled, which takes nothing from the
 * queue.
 */
final class QueueRequests {
    /** The longest a pop may wait, in milliseconds. */
    static final long MAX_WAIT_MS = 30_000;
    /** The most pops that may wait at once on one connection. */
    static final int MAX_WAITING_POPS = 100;

    private final NodeContext node;
    private final Replies replies;
    private final Supplier<String> user;
    /** Pops the broker has not answered yet; any thread removes the ones it completes. */
    private final Set<CompletableFuture<Optional<QueueMessage>>> waiting =
            ConcurrentHashMap.newKeySet();

    QueueRequests(NodeContext node, Replies replies, Supplier<String> user) {
        this.node = node;
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
        replies.answer(request.id(), queues().push(queue, sender, text)
                .thenApply(message -> new Frame.Pushed(request.id(), message)));
    }

    void pop(Frame.Pop request) {
        String queue = Names.requireRoom(request.queue());
        long waitMs = request.waitMs() == null ? 0 : request.waitMs();
        if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
            throw invalid("wait_ms must be between 0 and " + MAX_WAIT_MS + ": " + waitMs);
        }
        if (waiting.size() >= MAX_WAITING_POPS) {
            throw invalid("more than " + MAX_WAITING_POPS + " pops are waiting on this connection");
        }
        CompletableFuture<Optional<QueueMessage>> popped =
                queues().pop(queue, Duration.ofMillis(waitMs));
        waiting.add(popped);
        popped.whenComplete((message, failure) -> waiting.remove(popped));
        replies.answerWhenReady(request.id(), popped.thenApply(message ->
                new Frame.Popped(request.id(), queue, message.orElse(null))));
    }

    void depth(Frame.Depth request) {
        String queue = Names.requireRoom(request.queue());
        replies.answer(request.id(), queues().depth(queue)
                .thenApply(depth -> new Frame.QueueDepth(request.id(), queue, depth)));
    }

    /** Cancels every pop still waiting; the broker keeps their messages. */
    void cancelWaiting() {
        for (CompletableFuture<Optional<QueueMessage>> pop : List.copyOf(waiting)) {
            pop.cancel(false);
        }
        waiting.clear();
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private Queues queues() {
        return node.broker().queues();
    }
}
