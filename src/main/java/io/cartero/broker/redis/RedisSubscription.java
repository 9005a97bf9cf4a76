package io.cartero.broker.redis;

import io.cartero.broker.Resume;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: a cursor (epoch and offset of the last message delivered) and a pull loop
 * that takes the messages after the cursor and hands them to the listener. While the cursor
 * lies in the window of the room's {@link RoomTail} on this node, they come from there, the
 * same objects for every subscription of the node; a cursor behind the window or on another
 * epoch reads the room's stream itself, and learns from it whether retention or a new epoch
 * dropped something meanwhile.
 *
 * <p>Anyone may {@link #wake} it (the tail after it grew, a reconnect, the timer after a failed
 * read); wakes are counted, and only the first of a burst starts a drain on a delivery thread,
 * which goes on until every wake is served. So the listener's calls never overlap, come in
 * offset order, and a slow listener holds back only this subscription.
 *
 * <p>Outages are not an end: a read that fails (Redis away or not answering) is retried every
 * second and again as soon as the connection is back, from the same cursor, so nothing is
 * skipped or repeated. {@code onEnd} comes only when the broker closes. Thread-safe.
 */
final class RedisSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSubscription.class);
    /** The most entries one read asks for. */
    static final int BATCH = 200;
    /** The most reads of one drain before it yields its thread and queues itself again. */
    private static final int ROUNDS = 50;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RedisRooms rooms;
    private final RoomTail tail;
    private final String room;
    private final RoomListener listener;
    private final Resume resume;
    private final Executor delivery;
    private final AtomicInteger wakeups = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Throwable ending;
    /** Owned by the draining thread (one at a time, handed over through {@link #wakeups}). */
    private String epoch;
    /** Owned by the draining thread: the offset of the last message delivered or skipped. */
    private long cursor;

    RedisSubscription(RedisRooms rooms, RoomTail tail, RoomListener listener, Resume resume,
            long cursor, Executor delivery) {
        this.rooms = rooms;
        this.tail = tail;
        this.room = tail.room();
        this.listener = listener;
        this.resume = resume;
        this.epoch = resume.epoch();
        this.cursor = cursor;
        this.delivery = delivery;
    }

    @Override
    public String room() {
        return room;
    }

    RoomTail tail() {
        return tail;
    }

    @Override
    public Resume resume() {
        return resume;
    }

    @Override
    public void close() {
        closed = true;
        rooms.unregister(this);
    }

    /** Asks for the messages after the cursor. */
    void wake() {
        if (wakeups.getAndIncrement() == 0) {
            try {
                delivery.execute(this::drain);
            } catch (RejectedExecutionException e) {
                LOG.debug("delivery stopped room={}", room);
            }
        }
    }

    /** Ends the subscription: the listener gets {@code onEnd(cause)} after any call in hand. */
    void end(Throwable cause) {
        ending = cause;
        wake();
    }

    private void drain() {
        int served;
        do {
            served = wakeups.get();
            if (ending != null) {
                finish();
                return;
            }
            if (closed) {
                return;
            }
            pull();
        } while (wakeups.addAndGet(-served) > 0);
    }

    private void pull() {
        for (int round = 0; round < ROUNDS; round++) {
            List<Message> live = tail.after(epoch, cursor, BATCH);
            if (live != null) {
                if (live.isEmpty() || !handAll(live)) {
                    return;
                }
                continue;
            }
            Batch batch = read();
            if (batch == null) {
                return;
            }
            deliver(batch);
            if (batch.messages().size() < BATCH || closed || ending != null) {
                return;
            }
        }
        wake();
    }

    private Batch read() {
        try {
            return rooms.read(room, epoch, cursor, BATCH)
                    .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("read failed room={} cursor={} retry_in={}", room, cursor, RETRY, e);
            rooms.timer().later(this::wake, RETRY);
            return null;
        }
    }

    private void deliver(Batch batch) {
        List<Message> messages = batch.messages();
        long next = messages.isEmpty() ? 1 : messages.get(0).offset();
        if (!batch.epoch().equals(epoch)) {
            epoch = batch.epoch();
            cursor = next - 1;
            lost(next);
        } else if (!messages.isEmpty() && next > cursor + 1) {
            cursor = next - 1;
            lost(next);
        }
        for (int i = 0; i < messages.size(); i++) {
            if (closed || ending != null) {
                return;
            }
            Message message = messages.get(i);
            if (message.offset() > cursor) {
                cursor = message.offset();
                hand(message, i < messages.size() - 1);
            }
        }
    }

    /** Hands on messages that follow the cursor; whether the subscription is still open. */
    private boolean handAll(List<Message> messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (closed || ending != null) {
                return false;
            }
            Message message = messages.get(i);
            cursor = message.offset();
            hand(message, i < messages.size() - 1);
        }
        return true;
    }

    /**
     * Hands one message over; {@code more} when the next one follows at once (offsets only
     * grow along a batch, so once a message is handed every later one is too).
     */
    private void hand(Message message, boolean more) {
        try {
            listener.onMessage(message, more);
        } catch (RuntimeException e) {
            LOG.warn("listener failed room={} offset={}", room, message.offset(), e);
        }
    }

    private void lost(long next) {
        LOG.info("history lost room={} epoch={} next_offset={}", room, epoch, next);
        try {
            listener.onHistoryLost(room, epoch, next);
        } catch (RuntimeException e) {
            LOG.warn("listener failed on history lost room={}", room, e);
        }
    }

    private void finish() {
        if (!closed && ended.compareAndSet(false, true)) {
            try {
                listener.onEnd(ending);
            } catch (RuntimeException e) {
                LOG.warn("listener failed on end room={}", room, e);
            }
        }
    }

    /** What one read found: the room's epoch and the messages after the cursor. */
    record Batch(String epoch, List<Message> messages) {
    }
}
