package io.cartero.broker.redis;

import io.cartero.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest messages of one room on this node, shared by every subscription to the room
 * here: one per room per node, made with the room's first subscription on the node and
 * dropped with its last.
 *
 * <p>It holds the room's epoch and a window of its latest messages (at most {@link #WINDOW},
 * and never more than the room's retention, so that a subscription that falls behind
 * retention is told so, as a resume would be), fed in offset order by the live messages that
 * publish.lua publishes, each parsed once for the whole node. When a live message is not the
 * next one (messages missed while the pub/sub connection was down, an epoch that changed, or
 * the first ones after the tail was made), the tail reads the stream after its own end with
 * read.lua, one read at a time: live messages that arrive meanwhile are kept and placed after
 * it. A read that fails is tried again a second later. Only such reads change the epoch; a
 * live message of another epoch only asks for one, so a late message of an old epoch cannot
 * take the tail back.
 *
 * <p>A subscription whose cursor lies in the window takes the same {@link Message} objects as
 * every other one ({@link #after}); one behind it or on another epoch reads Redis itself.
 * Subscriptions are woken whenever the window changes.
 *
 * <p>Thread-safe: changes are made under the tail's lock, on the pub/sub thread or the
 * thread that completes a read; {@link #after} takes no lock.
 */
final class RoomTail {
    private static final Logger LOG = LoggerFactory.getLogger(RoomTail.class);
    /** The most messages the window holds. */
    static final int WINDOW = 1_000;
    /** The most entries one read of the stream asks for. */
    static final int READ_BATCH = 500;
    /**
     * The most live messages kept while a read is on its way (ten seconds' worth at a thousand
     * a second); beyond that they are read again from the stream.
     */
    private static final int HEARD_WHILE_READING = 10 * WINDOW;
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** How the tail reads the stream: the entries after {@code cursor} of {@code epoch}. */
    @FunctionalInterface
    interface Reader {
        CompletableFuture<RedisSubscription.Batch> read(String room, String epoch, long cursor,
                int count);
    }

    private final String room;
    /** The most messages the window holds. */
    private final int capacity;
    private final Reader reader;
    private final Executor delivery;
    private final Timer timer;
    /** Whether a pass that wakes every subscription is queued and has not started yet. */
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** The subscriptions to wake; changed only while the broker's map holds this tail's bin. */
    private final Set<RedisSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    /** Replaced, never changed, under the lock; read without it. */
    private volatile Window window;
    /** Guarded by this: a read of the stream is on its way. */
    private boolean reading;
    /** Guarded by this: one more read is wanted after the one on its way. */
    private boolean again;
    /** Guarded by this. */
    private boolean closed;
    /** Guarded by this: the live messages heard while a read was on its way. */
    private final List<Message> heardWhileReading = new ArrayList<>();

    /**
     * A tail that starts after {@code last} of {@code epoch}, as the room's first subscription
     * found the room. Call {@link #catchUp} once it can hear live messages.
     */
    RoomTail(String room, String epoch, long last, int capacity, Reader reader,
            Executor delivery, Timer timer) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.room = room;
        this.capacity = capacity;
        this.reader = reader;
        this.delivery = delivery;
        this.timer = timer;
        this.window = Window.empty(epoch, last, capacity);
    }

    String room() {
        return room;
    }

    /**
     * The messages after {@code cursor} of {@code epoch}, at most {@code max}, oldest first:
     * empty when the cursor is at or beyond the newest message held (the tail wakes its
     * subscriptions when it grows), {@code null} when the window cannot serve the cursor (it
     * is on another epoch, or behind the oldest message held).
     */
    List<Message> after(String epoch, long cursor, int max) {
        Window now = window;
        if (!now.epoch.equals(epoch) || cursor < now.first - 1) {
            return null;
        }
        if (cursor >= now.last) {
            return List.of();
        }
        long end = Math.min(now.last, cursor + max);
        List<Message> messages = new ArrayList<>((int) (end - cursor));
        for (long offset = cursor + 1; offset <= end; offset++) {
            Message message = now.ring.get(now.slot(offset));
            if (message == null || message.offset() != offset) {
                break;
            }
            messages.add(message);
        }
        return messages.isEmpty() ? null : messages;
    }

    /** A live message of this room, as publish.lua published it. */
    void heard(Message message) {
        Placed placed;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (reading) {
                if (heardWhileReading.size() < HEARD_WHILE_READING) {
                    heardWhileReading.add(message);
                } else {
                    again = true;
                }
                return;
            }
            placed = place(message);
            reading = placed == Placed.GAP;
        }
        if (placed == Placed.APPENDED) {
            wakeSubscriptions();
        } else if (placed == Placed.GAP) {
            read();
        }
    }

    /** Reads the stream after the window's end: live messages may have been missed. */
    void catchUp() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (reading) {
                again = true;
                return;
            }
            reading = true;
        }
        read();
    }

    void add(RedisSubscription subscription) {
        subscriptions.add(subscription);
    }

    void remove(RedisSubscription subscription) {
        subscriptions.remove(subscription);
    }

    boolean hasSubscriptions() {
        return !subscriptions.isEmpty();
    }

    Set<RedisSubscription> subscriptions() {
        return subscriptions;
    }

    /** Drops the tail: a read on its way changes nothing when it ends, and none follows. */
    synchronized void close() {
        closed = true;
        heardWhileReading.clear();
    }

    /** The epoch and the offsets [first, last] the window holds now; for logs and tests. */
    String describe() {
        Window now = window;
        return "epoch=" + now.epoch + " first=" + now.first + " last=" + now.last;
    }

    private void read() {
        Window now = window;
        CompletableFuture<RedisSubscription.Batch> batch;
        try {
            batch = reader.read(room, now.epoch, now.last, READ_BATCH);
        } catch (RuntimeException e) {
            batch = CompletableFuture.failedFuture(e);
        }
        batch.whenComplete(this::readEnded);
    }

    private void readEnded(RedisSubscription.Batch batch, Throwable failure) {
        boolean grew = false;
        boolean more = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (failure != null) {
                reading = false;
                again = false;
                heardWhileReading.clear();
            } else {
                grew = apply(batch);
                more = batch.messages().size() >= READ_BATCH || again;
                again = false;
                for (Message message : heardWhileReading) {
                    Placed placed = place(message);
                    grew |= placed == Placed.APPENDED;
                    more |= placed == Placed.GAP;
                }
                heardWhileReading.clear();
                reading = more;
            }
        }
        if (grew) {
            wakeSubscriptions();
        }
        if (failure != null) {
            LOG.debug("tail read failed room={} {} retry_in={}", room, describe(), RETRY,
                    failure);
            timer.later(this::catchUp, RETRY);
        } else if (more) {
            read();
        }
    }

    /** Guarded by this. Puts what a read found in the window; whether the window changed. */
    private boolean apply(RedisSubscription.Batch batch) {
        List<Message> messages = batch.messages();
        boolean changed = false;
        if (!batch.epoch().equals(window.epoch)) {
            long before = messages.isEmpty() ? 0 : messages.get(0).offset() - 1;
            LOG.info("room epoch changed room={} from={} to={} next_offset={}", room,
                    window.epoch, batch.epoch(), before + 1);
            window = Window.empty(batch.epoch(), before, capacity);
            changed = true;
        }
        for (Message message : messages) {
            Window now = window;
            if (message.offset() <= now.last) {
                continue;
            }
            if (message.offset() > now.last + 1) {
                LOG.info("room tail fell behind retention room={} epoch={} missed={}-{}",
                        room, now.epoch, now.last + 1, message.offset() - 1);
                window = Window.empty(now.epoch, message.offset() - 1, capacity);
            }
            append(message);
            changed = true;
        }
        return changed;
    }

    /** Guarded by this. Where a live message goes, and appends it if it is the next one. */
    private Placed place(Message message) {
        Window now = window;
        if (!message.epoch().equals(now.epoch)) {
            return Placed.GAP;
        }
        if (message.offset() <= now.last) {
            return Placed.OLD;
        }
        if (message.offset() > now.last + 1) {
            return Placed.GAP;
        }
        append(message);
        return Placed.APPENDED;
    }

    /** Guarded by this: {@code message} is the next one of the window's epoch. */
    private void append(Message message) {
        Window now = window;
        now.ring.set(now.slot(message.offset()), message);
        window = new Window(now.epoch, Math.max(now.first, message.offset() - capacity + 1),
                message.offset(), now.ring);
    }

    /**
     * Wakes every subscription, on a delivery thread rather than the pub/sub connection's: a
     * burst of live messages queues one pass, and a subscription woken while it drains only
     * counts the wake.
     */
    private void wakeSubscriptions() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                delivery.execute(this::wakeEach);
            } catch (RejectedExecutionException e) {
                wakePending.set(false);
                LOG.debug("delivery stopped room={}", room);
            }
        }
    }

    private void wakeEach() {
        wakePending.set(false);
        subscriptions.forEach(RedisSubscription::wake);
    }

    private enum Placed {
        /** The next message: now the window's newest. */
        APPENDED,
        /** One the window already has or had. */
        OLD,
        /** Of another epoch, or with messages missing before it: the stream must be read. */
        GAP
    }

    /**
     * The messages held: offsets {@code first} to {@code last} of {@code epoch} (none when
     * {@code first > last}), each in {@code ring} at {@code offset} modulo the ring's length
     * until a message that much later takes its slot. A new epoch, or messages lost to
     * retention, start a new ring, so a slot never holds a message of another history.
     */
    private record Window(String epoch, long first, long last,
            AtomicReferenceArray<Message> ring) {
        static Window empty(String epoch, long last, int capacity) {
            return new Window(epoch, last + 1, last, new AtomicReferenceArray<>(capacity));
        }

        int slot(long offset) {
            return (int) (offset % ring.length());
        }
    }
}
