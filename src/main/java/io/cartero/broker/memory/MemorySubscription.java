package io.cartero.broker.memory;

import io.cartero.broker.Resume;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription that pulls from its room's log. It holds a cursor, the next offset to
 * deliver; a publish only wakes it, and a drain on the delivery executor reads from the
 * cursor and calls the listener outside any room lock. At most one drain runs at a time,
 * so listener calls never overlap and come in offset order, and a slow listener holds back
 * only its own cursor. Memory stays bounded by the room's retention: a cursor that falls
 * behind it is told through {@link RoomListener#onHistoryLost} and moves to the oldest kept
 * message.
 *
 * <p>A listener that throws does not stop delivery: the failure is logged (the first at warn,
 * the rest at debug) and the next message follows. Thread-safe.
 */
final class MemorySubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(MemorySubscription.class);
    /** Messages read from the room per lock acquisition. */
    private static final int BATCH = 256;
    /** Batches per drain before the drain hands its thread back and reschedules itself. */
    private static final int BATCHES_PER_DRAIN = 16;

    private final Room room;
    private final RoomListener listener;
    private final Resume resume;
    private final Executor delivery;
    private final CompletableFuture<Subscription> started = new CompletableFuture<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    /** True while a drain is scheduled or running; whoever sets it owns the cursor. */
    private final AtomicBoolean draining = new AtomicBoolean(true);
    /** The next offset to deliver; owned by the drain that holds {@link #draining}. */
    private long cursor;
    /** Owned by the drain that holds {@link #draining}. */
    private long listenerFailures;
    private volatile Throwable endCause;

    MemorySubscription(Room room, RoomListener listener, Resume resume, long cursor,
            Executor delivery) {
        this.room = room;
        this.listener = listener;
        this.resume = resume;
        this.cursor = cursor;
        this.delivery = delivery;
    }

    @Override
    public String room() {
        return room.name();
    }

    @Override
    public Resume resume() {
        return resume;
    }

    @Override
    public void close() {
        State previous = state.getAndUpdate(s -> s == State.ENDED ? s : State.CLOSED);
        if (previous == State.OPEN || previous == State.ENDING) {
            room.remove(this);
            LOG.debug("subscription closed room={}", room.name());
        }
    }

    /**
     * Completes the subscriber's future on the delivery executor and then delivers the
     * backlog, so that a callback attached to the future normally runs before the first
     * message.
     */
    CompletableFuture<Subscription> start() {
        submitDrain();
        return started;
    }

    /** New messages may be there: schedules a drain unless one is already pending. */
    void wake() {
        State now = state.get();
        if ((now == State.OPEN || now == State.ENDING) && draining.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    /** The broker is closing: the listener gets {@code onEnd(cause)} after what is running. */
    void end(Throwable cause) {
        endCause = cause;
        if (state.compareAndSet(State.OPEN, State.ENDING)) {
            wake();
        }
    }

    private void submitDrain() {
        try {
            delivery.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // Only after the broker closed: what is left to do is the onEnd call.
            drain();
        }
    }

    private void drain() {
        try {
            completeStart();
            deliverAvailable();
            endIfAsked();
        } catch (Throwable t) {
            LOG.error("delivery stopped room={} next_offset={}", room.name(), cursor, t);
            state.set(State.ENDED);
            room.remove(this);
        } finally {
            release();
        }
    }

    /**
     * Hands the cursor back, then drains again if a publish came in meanwhile: its wake may
     * have found {@link #draining} still set. The cursor is read before the hand-back, while
     * this drain still owns it.
     */
    private void release() {
        long next = cursor;
        draining.set(false);
        if (hasMoreWork(next)) {
            wake();
        }
    }

    private void completeStart() {
        started.complete(this);
        if (started.isCancelled()) {
            close();
        }
    }

    private void deliverAvailable() {
        for (int i = 0; i < BATCHES_PER_DRAIN && state.get() == State.OPEN; i++) {
            Room.Batch batch = room.read(cursor, BATCH);
            if (batch.messages().isEmpty()) {
                return;
            }
            if (batch.lost()) {
                cursor = batch.messages().get(0).offset();
                tellHistoryLost();
            }
            List<Message> messages = batch.messages();
            for (int j = 0; j < messages.size(); j++) {
                if (state.get() != State.OPEN) {
                    return;
                }
                Message message = messages.get(j);
                cursor = message.offset() + 1;
                deliver(message, j < messages.size() - 1);
            }
        }
    }

    private boolean hasMoreWork(long next) {
        State now = state.get();
        return now == State.ENDING || (now == State.OPEN && room.lastOffset() >= next);
    }

    private void tellHistoryLost() {
        LOG.debug("history lost room={} next_offset={}", room.name(), cursor);
        try {
            listener.onHistoryLost(room.name(), room.epoch(), cursor);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private void deliver(Message message, boolean more) {
        try {
            listener.onMessage(message, more);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private void endIfAsked() {
        if (state.compareAndSet(State.ENDING, State.ENDED)) {
            try {
                listener.onEnd(endCause);
            } catch (RuntimeException e) {
                listenerFailed(e);
            }
        }
    }

    private void listenerFailed(RuntimeException e) {
        listenerFailures++;
        if (listenerFailures == 1) {
            LOG.warn("listener failed room={} offset={}; delivery goes on and later failures"
                    + " of this subscription are logged at debug", room.name(), cursor - 1, e);
        } else {
            LOG.debug("listener failed room={} offset={} failures={}", room.name(), cursor - 1,
                    listenerFailures, e);
        }
    }

    /** OPEN delivers; ENDING owes the listener its onEnd; CLOSED and ENDED deliver nothing. */
    private enum State {
        OPEN, ENDING, CLOSED, ENDED
    }
}
