package io.cartero.broker.redis;

import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Rooms;
import io.cartero.broker.Subscription;
import io.cartero.message.ErrorCode;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms as Redis Streams. publish.lua stores a message atomically with its offset, the room's
 * epoch and the idempotency check, and publishes it whole on the live channel. On this node,
 * each room with subscriptions has one {@link RoomTail}, which the live messages feed and
 * which serves every subscription to the room whose cursor lies in its window; the others
 * read the stream after their own cursor (see {@link RedisSubscription}). Thread-safe.
 */
final class RedisRooms implements Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRooms.class);
    private static final long MALFORMED_LOG_EVERY = TimeUnit.MINUTES.toNanos(1);

    private final RedisBroker.Settings settings;
    private final Keys keys;
    private final Gate gate;
    private final RedisAsyncCommands<String, String> redis;
    private final Executor delivery;
    private final Timer timer;
    /**
     * The tail of each room with open subscriptions on this broker, each holding them. A tail
     * and its subscriptions change together, in the map's compute functions, so a subscription
     * never joins a tail that was just dropped.
     */
    private final ConcurrentMap<String, RoomTail> tails = new ConcurrentHashMap<>();
    /** When a malformed live message was last logged, in nanoseconds; 0 before the first. */
    private final AtomicLong malformedLogged = new AtomicLong();

    RedisRooms(RedisBroker.Settings settings, Gate gate, RedisAsyncCommands<String, String> redis,
            Executor delivery, Timer timer) {
        this.settings = settings;
        this.keys = new Keys(settings.prefix());
        this.gate = gate;
        this.redis = redis;
        this.delivery = delivery;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<Message> publish(Publish request) {
        Objects.requireNonNull(request, "request");
        return gate.call(() -> store(request));
    }

    @Override
    public CompletableFuture<Subscription> subscribe(String room, Position from,
            RoomListener listener) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(listener, "listener");
        return gate.call(() -> {
            Names.requireRoom(room);
            return Scripts.OPEN.<List<Object>>run(redis, ScriptOutputType.MULTI, roomKeys(room),
                    Epochs.next()).thenApply(reply -> start(room, from, listener, reply));
        });
    }

    @Override
    public CompletableFuture<List<Message>> history(String room, long beforeOffset, int limit) {
        return gate.call(() -> {
            Names.requireRoom(room);
            requireBounds(beforeOffset, limit);
            String end = beforeOffset == Long.MAX_VALUE ? "+" : Long.toString(beforeOffset - 1);
            return Scripts.HISTORY.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    roomKeys(room), end, Integer.toString(limit))
                    .thenApply(reply -> oldestFirst(room, reply));
        });
    }

    @Override
    public CompletableFuture<List<RoomInfo>> list() {
        return gate.call(() -> redis.smembers(keys.rooms()).toCompletableFuture()
                .thenCompose(this::infos));
    }

    /** The stored messages after {@code cursor}, or from the oldest if the epoch changed. */
    CompletableFuture<RedisSubscription.Batch> read(String room, String epoch, long cursor,
            int count) {
        return gate.call(() -> Scripts.READ.<List<Object>>run(redis, ScriptOutputType.MULTI,
                roomKeys(room), Epochs.next(), epoch, Long.toString(cursor),
                Integer.toString(count)).thenApply(reply -> {
                    String now = (String) reply.get(0);
                    return new RedisSubscription.Batch(now,
                            Entries.messages(room, now, reply.get(1)));
                }));
    }

    /**
     * A message published on the live channel: the tail of its room on this node takes it, if
     * there is one. One that cannot be read makes the tail read the stream instead.
     */
    void heard(String live) {
        RoomTail tail = tails.get(Entries.roomOf(live));
        if (tail == null) {
            return;
        }
        Message message;
        try {
            message = Entries.live(tail.room(), live);
        } catch (IllegalArgumentException e) {
            malformed(tail.room(), e);
            tail.catchUp();
            return;
        }
        tail.heard(message);
    }

    /**
     * Live messages may have been missed (the pub/sub connection was down) or reads failed:
     * every tail reads the stream after its end, and every subscription looks again.
     */
    void wakeAll() {
        for (RoomTail tail : tails.values()) {
            tail.catchUp();
            tail.subscriptions().forEach(RedisSubscription::wake);
        }
    }

    void unregister(RedisSubscription subscription) {
        tails.computeIfPresent(subscription.room(), (room, tail) -> {
            if (tail != subscription.tail()) {
                return tail;
            }
            tail.remove(subscription);
            if (tail.hasSubscriptions()) {
                return tail;
            }
            tail.close();
            LOG.debug("room tail dropped room={} {}", room, tail.describe());
            return null;
        });
    }

    /** The tail of {@code room} on this broker, if it has subscriptions; for tests. */
    RoomTail tail(String room) {
        return tails.get(room);
    }

    /** The broker's timer, for retries. */
    Timer timer() {
        return timer;
    }

    /** Ends every open subscription with {@code cause}. */
    void close(Throwable cause) {
        for (RoomTail tail : tails.values()) {
            tail.close();
            tail.subscriptions().forEach(subscription -> subscription.end(cause));
        }
        tails.clear();
    }

    private CompletableFuture<Message> store(Publish request) {
        String room = request.room();
        boolean keyed = request.idempotencyKey() != null;
        String window = keyed ? Long.toString(settings.idempotencyWindow().toMillis()) : "0";
        String[] scriptKeys = {keys.meta(room), keys.stream(room),
            keys.idempotency(room, keyed ? request.idempotencyKey() : ""), keys.rooms()};
        return Scripts.PUBLISH.<List<Object>>run(redis, ScriptOutputType.MULTI, scriptKeys, room,
                Epochs.next(), request.sender(), request.text(), request.kind().wireName(),
                Integer.toString(settings.retention()), window, keys.liveMessages())
                .thenApply(reply -> {
                    Message stored = Entries.stored(room, reply);
                    LOG.debug("published room={} offset={}", room, stored.offset());
                    return stored;
                });
    }

    private Subscription start(String room, Position from, RoomListener listener,
            List<Object> reply) {
        String epoch = (String) reply.get(0);
        long last = (Long) reply.get(1);
        long oldest = (Long) reply.get(2);
        long firstKept = oldest == 0 ? last + 1 : oldest;
        Start start = startOf(from, epoch, last, firstKept);
        Resume resume = new Resume(start.status(), epoch, last);
        RedisSubscription[] made = new RedisSubscription[1];
        boolean[] first = new boolean[1];
        RoomTail tail = tails.compute(room, (name, existing) -> {
            first[0] = existing == null;
            RoomTail joined = existing != null ? existing
                    : new RoomTail(name, epoch, last,
                            Math.min(RoomTail.WINDOW, settings.retention()), this::read,
                            delivery, timer);
            made[0] = new RedisSubscription(this, joined, listener, resume, start.cursor(),
                    delivery);
            joined.add(made[0]);
            return joined;
        });
        RedisSubscription subscription = made[0];
        if (first[0]) {
            // Live messages published before the tail was in the map went unheard.
            tail.catchUp();
        }
        if (gate.isClosed()) {
            subscription.end(gate.closedException());
        }
        subscription.wake();
        LOG.debug("subscribed room={} from={} status={}", room, from, start.status());
        return subscription;
    }

    /** Logs a live message that cannot be read, at most once a minute. */
    private void malformed(String room, IllegalArgumentException e) {
        long now = System.nanoTime();
        long last = malformedLogged.get();
        if ((last == 0 || now - last > MALFORMED_LOG_EVERY) && malformedLogged.compareAndSet(last,
                now)) {
            LOG.warn("unreadable live message room={} channel={}: {}; reading the stream"
                    + " instead", room, keys.liveMessages(), e.getMessage());
        }
    }

    private static Start startOf(Position from, String epoch, long last, long firstKept) {
        if (from instanceof Position.Last wanted) {
            return new Start(Resume.Status.FRESH, Math.max(last - wanted.count(), firstKept - 1));
        }
        if (from instanceof Position.After after) {
            if (!after.epoch().equals(epoch) || after.offset() < firstKept - 1) {
                return new Start(Resume.Status.LOST, firstKept - 1);
            }
            if (after.offset() > last) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "resume offset " + after.offset() + " is beyond the room's last "
                                + last);
            }
            return new Start(Resume.Status.COMPLETE, after.offset());
        }
        return new Start(Resume.Status.FRESH, last);
    }

    private static void requireBounds(long beforeOffset, int limit) {
        if (beforeOffset < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "history must end before an offset of 1 or more: " + beforeOffset);
        }
        if (limit < 1 || limit > Position.Last.MAX) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "history limit must be between 1 and " + Position.Last.MAX + ": " + limit);
        }
    }

    private static List<Message> oldestFirst(String room, List<Object> reply) {
        if (reply.get(0) == null) {
            return List.of();
        }
        List<Message> newestFirst = Entries.messages(room, (String) reply.get(0), reply.get(1));
        List<Message> messages = new ArrayList<>(newestFirst);
        Collections.reverse(messages);
        return messages;
    }

    private CompletableFuture<List<RoomInfo>> infos(Set<String> names) {
        List<CompletableFuture<RoomInfo>> each = new ArrayList<>();
        for (String room : names) {
            each.add(Scripts.INFO.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {keys.meta(room), keys.presence(room)})
                    .thenApply(reply -> info(room, reply)));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join)
                        .filter(info -> info.lastOffset() > 0 || info.members() > 0)
                        .sorted(Comparator.comparing(RoomInfo::name))
                        .toList());
    }

    private static RoomInfo info(String room, List<Object> reply) {
        String epoch = reply.get(0) == null ? "" : (String) reply.get(0);
        return new RoomInfo(room, epoch, (Long) reply.get(1), ((Long) reply.get(2)).intValue());
    }

    private String[] roomKeys(String room) {
        return new String[] {keys.meta(room), keys.stream(room)};
    }

    /** Where a subscription starts: how its position was honoured, and its first cursor. */
    private record Start(Resume.Status status, long cursor) {
    }
}
