package io.cartero.broker.memory;

import io.cartero.broker.BrokerException;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.util.List;
import java.util.Objects;

/**
 * Where a memory broker writes down what it stores, so that another process can start from
 * it: the persistence SPI of the in-process engine. The broker keeps serving from memory; the
 * journal only records and, at start, gives back what it holds. {@link #none()} keeps nothing.
 *
 * <p>Ordering: the broker calls {@link #appended} for one room, and {@link #changed} for one
 * queue, while holding that room's or queue's lock, in the order the changes happen, so a
 * journal needs no ordering of its own. A call returns once the record is handed to the
 * operating system (it survives the death of this process) and throws
 * {@link BrokerException} if it could not be written, in which case the broker stores
 * nothing. The returned {@link Commit} is awaited outside any lock, before the caller is
 * answered; it makes the record as durable as the journal promises (for example on the
 * device), so concurrent callers can share one flush.
 *
 * <p>Implementations are thread-safe across rooms and queues.
 */
public interface Journal extends AutoCloseable {

    /** A journal that keeps nothing: the broker lives in memory only. */
    static Journal none() {
        return NoJournal.INSTANCE;
    }

    /** What the broker says it is, such as {@code memory} or {@code embedded:/var/cartero}. */
    String describe();

    /** The rooms found at start, each with its newest messages, oldest first. */
    List<RoomHistory> rooms();

    /** The queues found at start, each with its waiting messages, head first. */
    List<QueueContents> queues();

    /** Records {@code message}, just stored in its room with {@code idempotencyKey} or null. */
    Commit appended(Message message, String idempotencyKey);

    /** Records one change of a queue. */
    Commit changed(QueueChange change);

    /** Throws {@link BrokerException} if the journal can no longer record. */
    void check();

    /** Flushes and releases what the journal holds. Idempotent. */
    @Override
    void close();

    /** Makes one record durable; {@link #DONE} when nothing is left to do. */
    @FunctionalInterface
    interface Commit {
        /** Nothing to wait for. */
        Commit DONE = () -> { };

        /** Returns once the record is durable; throws {@link BrokerException} if it cannot be. */
        void await();
    }

    /**
     * A message found at start, with the idempotency key it was published with.
     *
     * @param message the message
     * @param idempotencyKey its key, or null
     */
    record StoredMessage(Message message, String idempotencyKey) {
        public StoredMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A room found at start.
     *
     * @param room its name
     * @param epoch its epoch, kept with its data
     * @param messages its newest messages, oldest first, with contiguous offsets
     */
    record RoomHistory(String room, String epoch, List<StoredMessage> messages) {
        public RoomHistory {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(epoch, "epoch");
            messages = List.copyOf(messages);
        }
    }

    /**
     * One message of a queue as the broker keeps it.
     *
     * @param id its number within the queue, unique and growing
     * @param message the message
     * @param attempts how many times it was taken under a lease so far
     */
    record QueueEntry(long id, QueueMessage message, int attempts) {
        public QueueEntry {
            Objects.requireNonNull(message, "message");
        }

        /** This entry taken once more. */
        public QueueEntry takenAgain() {
            return new QueueEntry(id, message, attempts + 1);
        }
    }

    /**
     * A queue found at start. Messages that were taken under a lease and not confirmed are
     * back among the waiting ones, at the head.
     *
     * @param queue its name
     * @param nextId the id its next message gets
     * @param waiting its waiting messages, head first
     */
    record QueueContents(String queue, long nextId, List<QueueEntry> waiting) {
        public QueueContents {
            Objects.requireNonNull(queue, "queue");
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * One change of a queue.
     *
     * @param type what happened
     * @param entry the entry it happened to; after a take, with its new attempt count
     */
    record QueueChange(Type type, QueueEntry entry) {
        public QueueChange {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(entry, "entry");
        }

        /** The queue changed. */
        public String queue() {
            return entry.message().queue();
        }

        /** What can happen to a queue message. */
        public enum Type {
            /** Appended to the tail. */
            PUSH,
            /** Taken at most once: gone. */
            POP,
            /** Taken under a lease. */
            TAKE,
            /** Its lease was confirmed: gone. */
            CONFIRM,
            /** Its lease ended unconfirmed: back at the head. */
            RETURN
        }
    }
}
