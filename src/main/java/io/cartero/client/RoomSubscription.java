package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room joined on a node connection. Its listener's calls, and the completion of the future
 * that hands the subscription to its owner, go through a {@link DeliveryLane} of their own:
 * one at a time, in the order the node sent them, the owner first.
 *
 * <p>Thread-safe. The node's frames are offered on the reading thread.
 */
final class RoomSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(RoomSubscription.class);

    /** Listener calls that may wait by default; a listener further behind is dropped. */
    static final int MAX_WAITING = 10_000;

    private final String room;
    private final RoomListener listener;
    private final int maxWaiting;
    private final DeliveryLane lane;
    private final Executor callbacks;
    private final Function<RoomSubscription, CompletableFuture<Boolean>> leaver;
    /** Completes in the lane, before the listener's first call. */
    private final CompletableFuture<Subscription> started = new CompletableFuture<>();
    /** Set once delivery has stopped for good, whatever stopped it. */
    private final AtomicBoolean ended = new AtomicBoolean();
    /** What the node said on joining; {@code null} until then. Written on the reading thread. */
    private volatile Resume resume;

    /**
     * A subscription to {@code room} whose listener may fall {@code maxWaiting} calls behind;
     * {@code leaver} leaves the room on the node.
     */
    RoomSubscription(String room, RoomListener listener, NodeLink link,
            int maxWaiting, Function<RoomSubscription, CompletableFuture<Boolean>> leaver) {
        this.room = room;
        this.listener = listener;
        this.maxWaiting = maxWaiting;
        this.lane = new DeliveryLane(room, link.lanes(), maxWaiting);
        this.callbacks = link.callbacks();
        this.leaver = leaver;
    }

    @Override
    public String room() {
        return room;
    }

    @Override
    public Resume resume() {
        return resume;
    }

    /** Whether the node has joined the room for this subscription and delivery goes on. */
    boolean isJoined() {
        return resume != null && !ended.get();
    }

    /** Completes when the room is joined, before any message reaches the listener. */
    CompletableFuture<Subscription> started() {
        return started;
    }

    /** The node joined the room; on the reading thread, before the backlog is read. */
    void joined(Resume joined) {
        this.resume = joined;
        if (!lane.offer(() -> started.complete(this))) {
            callbacks.execute(() -> started.completeExceptionally(new BrokerException(
                    "the subscription to room " + room + " ended before it started")));
        }
    }

    /**
     * The node joined the room again after a reconnect but could not resume where the client
     * was: the listener hears that history was lost before the messages that follow.
     */
    void resumeLost(Resume joined, long nextOffset) {
        this.resume = joined;
        if (!lane.offer(() -> listener.onHistoryLost(room, joined.epoch(), nextOffset))) {
            fellBehind();
        }
    }

    /** Queues a message for the listener; {@code false} if it could not be queued. */
    boolean deliver(Message message) {
        if (lane.offer(() -> listener.onMessage(message))) {
            return true;
        }
        fellBehind();
        return false;
    }

    /** Queues a history-lost notice for the listener; {@code false} if it could not. */
    boolean historyLost(Frame.HistoryLost lost) {
        if (lane.offer(() -> listener.onHistoryLost(lost.room(), lost.epoch(),
                lost.nextOffset()))) {
            return true;
        }
        fellBehind();
        return false;
    }

    /** Ends delivery because the connection ended; the listener hears it last. */
    void end(Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            lane.finish(() -> listener.onEnd(cause));
        }
    }

    /** Ends a subscription that has not started; the listener hears nothing. */
    void discard(BrokerException cause) {
        ended.set(true);
        lane.discard();
        started.completeExceptionally(cause);
    }

    /**
     * Stops delivery and leaves the room on the node.
     *
     * @return {@code true} if the node left the room for it, {@code false} if it had ended
     */
    CompletableFuture<Boolean> leave() {
        if (!ended.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        lane.discard();
        return leaver.apply(this);
    }

    @Override
    public void close() {
        leave().whenComplete((left, error) -> {
            if (error != null) {
                LOG.debug("leave failed room={} error={}", room, error.toString());
            }
        });
    }

    private void fellBehind() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        BrokerException cause = new BrokerException("the listener of room " + room + " fell "
                + maxWaiting + " messages behind; its subscription ended");
        LOG.warn("listener too slow, subscription ended room={} waiting={}", room, maxWaiting);
        lane.finish(() -> listener.onEnd(cause));
        leaver.apply(this);
    }
}
