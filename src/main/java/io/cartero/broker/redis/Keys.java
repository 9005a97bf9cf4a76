package io.cartero.broker.redis;

/**
 * The names of every Redis key and channel a broker uses, all under one prefix. Room and queue
 * names never contain {@code :} (see {@link io.cartero.message.Names}), so a name can never
 * reach into another kind of key. Immutable.
 */
final class Keys {
    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** A SCAN pattern that matches every key under the prefix and nothing else. */
    String everything() {
        StringBuilder pattern = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append('*').toString();
    }

    /** The hash with a room's epoch and newest offset. */
    String meta(String room) {
        return prefix + "room:" + room + ":meta";
    }

    /** The stream with a room's messages. */
    String stream(String room) {
        return prefix + "room:" + room + ":stream";
    }

    /** The hash remembering the message first stored with an idempotency key. */
    String idempotency(String room, String key) {
        return prefix + "room:" + room + ":key:" + key;
    }

    /** The sorted set of a room's members, scored by expiry time. */
    String presence(String room) {
        return prefix + "room:" + room + ":presence";
    }

    /** The set of every room's name. */
    String rooms() {
        return prefix + "rooms";
    }

    /**
     * The pub/sub channel on which every newly stored room message is published whole (see
     * publish.lua). Earlier versions named only the room, on {@code notify}: a node of such a
     * version on the same Redis hears nothing here rather than a format it does not know.
     */
    String liveMessages() {
        return prefix + "messages";
    }

    /** The pub/sub channel that carries every room's signals. */
    String signals() {
        return prefix + "signals";
    }

    /** The list holding a queue's messages. */
    String queue(String queue) {
        return prefix + "queue:" + queue;
    }

    /** The set of the queues that have messages under a lease, where reapers look. */
    String leasing() {
        return prefix + "leasing";
    }

    /** The string that reserves a user name; its value is the holder. */
    String name(String user) {
        return prefix + "name:" + user;
    }
}
