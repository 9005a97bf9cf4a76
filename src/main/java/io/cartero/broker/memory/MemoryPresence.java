package io.cartero.broker.memory;

import io.cartero.broker.Presence;
import io.cartero.message.Message;
import io.cartero.message.Names;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence kept in each {@link Room}, so that a membership change and its join or leave
 * message are one atomic step. Thread-safe.
 */
final class MemoryPresence implements Presence {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryPresence.class);

    private final MemoryRooms rooms;
    private final Lifecycle lifecycle;

    MemoryPresence(MemoryRooms rooms, Lifecycle lifecycle) {
        this.rooms = rooms;
        this.lifecycle = lifecycle;
    }

    @Override
    public CompletableFuture<Boolean> join(String room, String user) {
        return lifecycle.call(() -> {
            Names.requireUser(user);
            Room joined = rooms.room(room);
            return announced(joined, joined.join(user));
        });
    }

    @Override
    public CompletableFuture<Boolean> leave(String room, String user) {
        return lifecycle.call(() -> {
            Names.requireUser(user);
            Room left = rooms.existing(room);
            return announced(left, left == null ? null : left.leave(user));
        });
    }

    @Override
    public CompletableFuture<Set<String>> members(String room) {
        return lifecycle.call(() -> {
            Room existing = rooms.existing(room);
            Set<String> members = existing == null
                    ? Collections.unmodifiableSortedSet(new TreeSet<>()) : existing.members();
            return CompletableFuture.completedFuture(members);
        });
    }

    private static CompletableFuture<Boolean> announced(Room room, Message message) {
        if (message == null) {
            return CompletableFuture.completedFuture(false);
        }
        LOG.debug("presence room={} user={} kind={} offset={}", message.room(),
                message.sender(), message.kind().wireName(), message.offset());
        room.wakeSubscribers();
        return CompletableFuture.completedFuture(true);
    }
}
