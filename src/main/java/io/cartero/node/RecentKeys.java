package io.cartero.node;

import io.cartero.message.Message;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The idempotency keys this node has acknowledged recently, to tell a client whether its send
 * stored something new. The broker returns the first message for a repeated key; if this node
 * already acknowledged that same message for that key, the send is a duplicate. A key first
 * used through another node (or before this one started) is reported as new: the message in
 * the ack is still the right one. Bounded in time and size. Thread-safe.
 */
final class RecentKeys {
    private final long windowNanos;
    private final int capacity;
    private final LongSupplier nanoClock;
    /** Keys in the order first acknowledged; guarded by this. */
    private final LinkedHashMap<Key, Seen> seen = new LinkedHashMap<>();

    RecentKeys(Duration window, int capacity, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    /**
     * Records that {@code message} was returned for {@code key}; {@code true} if this node had
     * already acknowledged that message for that key.
     */
    synchronized boolean seenBefore(String key, Message message) {
        long now = nanoClock.getAsLong();
        forgetOlderThan(now - windowNanos);
        Key k = new Key(message.room(), key);
        Seen earlier = seen.get(k);
        if (earlier != null && earlier.matches(message)) {
            return true;
        }
        seen.remove(k);
        seen.put(k, new Seen(message.epoch(), message.offset(), now));
        if (seen.size() > capacity) {
            forgetEldest();
        }
        return false;
    }

    private void forgetOlderThan(long cutoff) {
        Iterator<Seen> entries = seen.values().iterator();
        while (entries.hasNext() && entries.next().at - cutoff < 0) {
            entries.remove();
        }
    }

    private void forgetEldest() {
        Iterator<Map.Entry<Key, Seen>> entries = seen.entrySet().iterator();
        entries.next();
        entries.remove();
    }

    private record Key(String room, String key) {
    }

    private record Seen(String epoch, long offset, long at) {
        boolean matches(Message message) {
            return offset == message.offset() && epoch.equals(message.epoch());
        }
    }
}
