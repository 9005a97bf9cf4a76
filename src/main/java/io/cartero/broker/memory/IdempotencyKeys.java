package io.cartero.broker.memory;

import io.cartero.message.Message;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The idempotency keys one room has seen within the window, each with the message it stored.
 * Bounded: beyond {@code capacity} keys the oldest is forgotten even within the window. Not
 * thread-safe: its {@link Room} guards it.
 */
final class IdempotencyKeys {
    private final long windowMillis;
    private final int capacity;
    /** Keys in the order they were first seen, which is also the order of their times. */
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    IdempotencyKeys(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /** The message first stored with {@code key} within the window, or {@code null}. */
    Message find(String key, long now) {
        forgetExpired(now);
        Seen entry = seen.get(key);
        return entry == null ? null : entry.message();
    }

    /** Remembers that {@code key} stored {@code message} at {@code now}. */
    void remember(String key, Message message, long now) {
        seen.put(key, new Seen(message, now));
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void forgetExpired(long now) {
        Iterator<Map.Entry<String, Seen>> entries = seen.entrySet().iterator();
        while (entries.hasNext() && now - entries.next().getValue().at() >= windowMillis) {
            entries.remove();
        }
    }

    private record Seen(Message message, long at) {
    }
}
