package io.cartero.broker.redis;

import java.util.Set;

/**
 * The queues that are the original workshop's lists: {@code chat_simple} and
 * {@code chat_distribuido} live on those bare keys (no prefix), hold
 * {@link WorkshopListFormat} JSON, and set bad entries aside on {@code NAME:dead}. Every other
 * queue lives under the broker's prefix. Immutable.
 */
final class ClassroomQueues {
    /** The names of the workshop's lists. */
    static final Set<String> NAMES = Set.of("chat_simple", "chat_distribuido");

    private final Keys keys;

    ClassroomQueues(Keys keys) {
        this.keys = keys;
    }

    /** Whether {@code queue} is one of the workshop's lists. */
    boolean isClassroom(String queue) {
        return NAMES.contains(queue);
    }

    /** The Redis list that holds {@code queue}. */
    String list(String queue) {
        return isClassroom(queue) ? queue : keys.queue(queue);
    }

    /**
     * The keys of {@code queue}'s leases, in the order take.lua and reap.lua expect: the list,
     * the leased hash, the deadlines, the returned hash and the set of queues with leases.
     * The workshop's programs never read them, so a workshop list holds only workshop entries.
     */
    String[] leaseKeys(String queue) {
        String list = list(queue);
        return new String[] {list, list + ":leased", list + ":deadlines", list + ":returned",
            keys.leasing()};
    }

    /** The list on which {@code queue}'s malformed entries are set aside. */
    String deadLetters(String queue) {
        return list(queue) + ":dead";
    }
}
