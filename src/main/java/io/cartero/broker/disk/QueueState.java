package io.cartero.broker.disk;

import io.cartero.broker.memory.Journal;
import io.cartero.message.QueueMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a queue holds, rebuilt from its changes: the waiting messages in order and those
 * taken under a lease, in the order they were taken. Replaying a queue's records through it
 * gives the queue back; the live journal keeps one up to date to write compact segments. Not
 * thread-safe: its {@link QueueFiles} guards it.
 */
final class QueueState {
    /** Ids of the waiting messages, head first. */
    private final ArrayDeque<Long> waiting = new ArrayDeque<>();
    /** Every message held, waiting or leased, by id. */
    private final Map<Long, Journal.QueueEntry> entries = new HashMap<>();
    /** Leased messages by id, oldest take first. */
    private final LinkedHashMap<Long, Journal.QueueEntry> leased = new LinkedHashMap<>();
    private long nextId = 1;

    /** Forgets everything; the next id is {@code next}. */
    void reset(long next) {
        waiting.clear();
        entries.clear();
        leased.clear();
        nextId = next;
    }

    /**
     * Applies one change to the message {@code id}. {@code message} is needed only for a
     * push; changes to unknown ids (lost with a corrupt record) are ignored.
     */
    void apply(Journal.QueueChange.Type type, long id, int attempts, QueueMessage message) {
        switch (type) {
            case PUSH -> push(new Journal.QueueEntry(id, message, attempts));
            case POP, CONFIRM -> forget(id);
            case TAKE -> take(id, attempts);
            case RETURN -> giveBack(id);
            default -> throw new IllegalArgumentException("unknown change " + type);
        }
    }

    long nextId() {
        return nextId;
    }

    /** How many messages the queue holds, waiting or leased. */
    int size() {
        return entries.size();
    }

    /** The waiting messages in order. */
    List<Journal.QueueEntry> waiting() {
        List<Journal.QueueEntry> result = new ArrayList<>(waiting.size());
        for (Long id : waiting) {
            result.add(entries.get(id));
        }
        return result;
    }

    /** The leased messages, oldest take first. */
    List<Journal.QueueEntry> leased() {
        return new ArrayList<>(leased.values());
    }

    /**
     * What the queue holds after a restart: leases end with the process, so leased messages
     * go back to the head, before the waiting ones.
     */
    Journal.QueueContents afterRestart(String queue) {
        List<Journal.QueueEntry> all = leased();
        all.addAll(waiting());
        return new Journal.QueueContents(queue, nextId, all);
    }

    private void push(Journal.QueueEntry entry) {
        entries.put(entry.id(), entry);
        waiting.addLast(entry.id());
        nextId = Math.max(nextId, entry.id() + 1);
    }

    private void take(long id, int attempts) {
        Journal.QueueEntry known = entries.get(id);
        if (known == null) {
            return;
        }
        Journal.QueueEntry taken = new Journal.QueueEntry(id, known.message(), attempts);
        waiting.removeFirstOccurrence(id);
        entries.put(id, taken);
        leased.put(id, taken);
    }

    private void giveBack(long id) {
        if (leased.remove(id) != null) {
            waiting.addFirst(id);
        }
    }

    private void forget(long id) {
        waiting.removeFirstOccurrence(id);
        leased.remove(id);
        entries.remove(id);
    }
}
