package io.cartero.broker.memory;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * One room of a memory broker: its epoch, its bounded log, its idempotency keys, its members
 * and its open subscriptions. Each message is written to the journal under the lock, before it
 * shows in the log, so the journal's order is the offset order. Thread-safe: every step that
 * reads or changes the state runs under this object's monitor, and no listener is ever called
 * while holding it.
 */
final class Room {
    private final String name;
    /** Chosen at creation or found in the journal; it changes only if the data is lost. */
    private final String epoch;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final Journal journal;
    /** Guarded by this. */
    private final RoomLog log;
    /** Guarded by this. */
    private final IdempotencyKeys keys;
    /** Guarded by this. */
    private final SortedSet<String> members = new TreeSet<>();
    /** Changed under this monitor; read without it to wake subscribers after a publish. */
    private final List<MemorySubscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * A room with a new epoch, or the one {@code found} in the journal with its newest
     * messages and the idempotency keys among them.
     */
    Room(String name, MemoryBroker.Settings settings, Lifecycle lifecycle, Clock clock,
            Journal journal, Journal.RoomHistory found) {
        this.name = name;
        this.epoch = found == null ? Epochs.next() : found.epoch();
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.journal = journal;
        this.log = new RoomLog(settings.retention());
        this.keys = new IdempotencyKeys(settings.idempotencyWindow().toMillis(),
                settings.idempotencyKeys());
        if (found != null) {
            restore(found.messages());
        }
    }

    String name() {
        return name;
    }

    String epoch() {
        return epoch;
    }

    /**
     * Stores the message {@code request} asks for, or finds the one its idempotency key
     * stored; the caller then wakes the subscribers.
     */
    synchronized Published publish(Publish request) {
        long now = clock.millis();
        String key = request.idempotencyKey();
        Message first = key == null ? null : keys.find(key, now);
        if (first != null) {
            return new Published(first, Journal.Commit.DONE);
        }
        Message stored = message(request.sender(), request.text(), request.kind(), now);
        Journal.Commit commit = journal.appended(stored, key);
        log.append(stored);
        if (key != null) {
            keys.remember(key, stored, now);
        }
        return new Published(stored, commit);
    }

    /** Adds {@code user} to the members and returns its join message, or null if a member. */
    synchronized Message join(String user) {
        if (!members.add(user)) {
            return null;
        }
        return append(user, "", Kind.JOIN, clock.millis());
    }

    /** Removes {@code user} and returns its leave message, or null if it was no member. */
    synchronized Message leave(String user) {
        if (!members.remove(user)) {
            return null;
        }
        return append(user, "", Kind.LEAVE, clock.millis());
    }

    synchronized SortedSet<String> members() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(members));
    }

    /** What {@link io.cartero.broker.Rooms#list()} shows, or null if the room is unused. */
    synchronized RoomInfo info() {
        if (log.lastOffset() == 0 && members.isEmpty()) {
            return null;
        }
        return new RoomInfo(name, epoch, log.lastOffset(), members.size());
    }

    synchronized long lastOffset() {
        return log.lastOffset();
    }

    /** Up to {@code limit} of the newest kept messages below {@code before}, oldest first. */
    synchronized List<Message> history(long before, int limit) {
        long end = Math.min(before - 1, log.lastOffset());
        long start = Math.max(log.oldestOffset(), end - limit + 1);
        if (end < start) {
            return List.of();
        }
        return List.copyOf(log.from(start, (int) (end - start + 1)));
    }

    /**
     * Up to {@code max} messages from {@code cursor} on. If retention dropped the message at
     * {@code cursor}, the batch says so and starts at the oldest kept one.
     */
    synchronized Batch read(long cursor, int max) {
        return new Batch(cursor < log.oldestOffset(), log.from(cursor, max));
    }

    /**
     * Opens a subscription from {@code from}. Its starting point and its registration are one
     * atomic step, so that no message falls between backlog and live delivery.
     */
    synchronized MemorySubscription subscribe(Position from, RoomListener listener,
            Executor delivery) {
        lifecycle.ensureOpen();
        Start start = startOf(from);
        MemorySubscription subscription = new MemorySubscription(this, listener,
                new Resume(start.status(), epoch, log.lastOffset()), start.cursor(), delivery);
        subscriptions.add(subscription);
        return subscription;
    }

    void remove(MemorySubscription subscription) {
        synchronized (this) {
            subscriptions.remove(subscription);
        }
    }

    /** Asks every subscription to wake up and read what was published. */
    void wakeSubscribers() {
        for (MemorySubscription subscription : subscriptions) {
            subscription.wake();
        }
    }

    /** Ends every open subscription because the broker is closing. */
    void end(Throwable cause) {
        List<MemorySubscription> open;
        synchronized (this) {
            open = new ArrayList<>(subscriptions);
            subscriptions.clear();
        }
        for (MemorySubscription subscription : open) {
            subscription.end(cause);
        }
    }

    /** Stores a join or leave message; it becomes durable with the journal's next flush. */
    private Message append(String sender, String text, Kind kind, long now) {
        Message message = message(sender, text, kind, now);
        journal.appended(message, null);
        log.append(message);
        return message;
    }

    private Message message(String sender, String text, Kind kind, long now) {
        return new Message(name, log.nextOffset(), epoch, sender, text, now, kind);
    }

    private void restore(List<Journal.StoredMessage> messages) {
        for (Journal.StoredMessage stored : messages) {
            log.append(stored.message());
            if (stored.idempotencyKey() != null) {
                keys.remember(stored.idempotencyKey(), stored.message(),
                        stored.message().sentAt());
            }
        }
    }

    private Start startOf(Position from) {
        if (from instanceof Position.After after) {
            return startAfter(after);
        }
        if (from instanceof Position.Last last) {
            long first = log.lastOffset() - last.count() + 1;
            return new Start(Resume.Status.FRESH, Math.max(first, log.oldestOffset()));
        }
        return new Start(Resume.Status.FRESH, log.nextOffset());
    }

    private Start startAfter(Position.After after) {
        if (!after.epoch().equals(epoch)) {
            return new Start(Resume.Status.LOST, log.oldestOffset());
        }
        if (after.offset() > log.lastOffset()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "resume offset "
                    + after.offset() + " is beyond the last offset " + log.lastOffset()
                    + " of room " + name);
        }
        if (after.offset() + 1 >= log.oldestOffset()) {
            return new Start(Resume.Status.COMPLETE, after.offset() + 1);
        }
        return new Start(Resume.Status.LOST, log.oldestOffset());
    }

    /** A message stored or found by its key, and the journal's commit to await. */
    record Published(Message message, Journal.Commit commit) {
    }

    /** Messages read for one subscription; {@code lost} if some before them were dropped. */
    record Batch(boolean lost, List<Message> messages) {
    }

    private record Start(Resume.Status status, long cursor) {
    }
}
