package io.cartero.broker.memory;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Rooms;
import io.cartero.broker.Subscription;
import io.cartero.message.ErrorCode;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of a memory broker, created on first publish, subscribe or join, or found in the
 * journal at start, and kept while the broker lives. A publish is answered once the journal
 * made its message durable; subscribers are woken after that. Thread-safe: the map is
 * concurrent and each {@link Room} guards itself.
 */
final class MemoryRooms implements Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryRooms.class);
    /** The largest page {@link #history} returns. */
    static final int MAX_HISTORY_LIMIT = 10_000;

    private final MemoryBroker.Settings settings;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final Executor delivery;
    private final Journal journal;
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();

    MemoryRooms(MemoryBroker.Settings settings, Lifecycle lifecycle, Clock clock,
            Executor delivery, Journal journal) {
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.delivery = delivery;
        this.journal = journal;
        for (Journal.RoomHistory found : journal.rooms()) {
            rooms.put(found.room(), new Room(found.room(), settings, lifecycle, clock, journal,
                    found));
        }
    }

    @Override
    public CompletableFuture<Message> publish(Publish request) {
        Objects.requireNonNull(request, "request");
        return lifecycle.call(() -> {
            Room room = room(request.room());
            Room.Published published = room.publish(request);
            published.commit().await();
            Message stored = published.message();
            LOG.debug("published room={} offset={} kind={}", stored.room(), stored.offset(),
                    stored.kind().wireName());
            room.wakeSubscribers();
            return CompletableFuture.completedFuture(stored);
        });
    }

    @Override
    public CompletableFuture<Subscription> subscribe(String room, Position from,
            RoomListener listener) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(listener, "listener");
        return lifecycle.call(() -> {
            MemorySubscription subscription = room(room).subscribe(from, listener, delivery);
            LOG.debug("subscribed room={} resume={} last_offset={}", room,
                    subscription.resume().status(), subscription.resume().lastOffset());
            return subscription.start();
        });
    }

    @Override
    public CompletableFuture<List<Message>> history(String room, long beforeOffset, int limit) {
        return lifecycle.call(() -> {
            Names.requireRoom(room);
            requireHistoryBounds(beforeOffset, limit);
            Room existing = rooms.get(room);
            List<Message> page = existing == null ? List.of()
                    : existing.history(beforeOffset, limit);
            return CompletableFuture.completedFuture(page);
        });
    }

    @Override
    public CompletableFuture<List<RoomInfo>> list() {
        return lifecycle.call(() -> {
            List<RoomInfo> infos = new ArrayList<>();
            for (Room room : rooms.values()) {
                RoomInfo info = room.info();
                if (info != null) {
                    infos.add(info);
                }
            }
            infos.sort((a, b) -> a.name().compareTo(b.name()));
            return CompletableFuture.completedFuture(List.copyOf(infos));
        });
    }

    /** The room named {@code name}, created if new; the name is validated first. */
    Room room(String name) {
        Names.requireRoom(name);
        return rooms.computeIfAbsent(name,
                n -> new Room(n, settings, lifecycle, clock, journal, null));
    }

    /** The room named {@code name} if it exists, or null; the name is validated first. */
    Room existing(String name) {
        return rooms.get(Names.requireRoom(name));
    }

    /** Ends every open subscription with {@code cause}. */
    void close(Throwable cause) {
        for (Room room : rooms.values()) {
            room.end(cause);
        }
    }

    int size() {
        return rooms.size();
    }

    private static void requireHistoryBounds(long beforeOffset, int limit) {
        if (beforeOffset < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "history must end before offset 1 or more: " + beforeOffset);
        }
        if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "history limit must be between 1 and " + MAX_HISTORY_LIMIT + ": " + limit);
        }
    }
}
