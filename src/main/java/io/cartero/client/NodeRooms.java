package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Publish;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Rooms;
import io.cartero.broker.Subscription;
import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms port over a node connection: {@code send}, {@code join}, {@code leave},
 * {@code history} and {@code rooms} frames. See {@link NodeClient} for what differs from an
 * embedded broker.
 */
final class NodeRooms implements Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRooms.class);

    private final NodeLink link;
    private final RoomSubscriptions subscriptions;
    private final String name;
    private final int maxWaiting;

    /**
     * Rooms for the session {@code name} ({@code null}: anonymous), whose listeners may fall
     * {@code maxWaiting} messages behind.
     */
    NodeRooms(NodeLink link, RoomSubscriptions subscriptions, String name, int maxWaiting) {
        this.link = link;
        this.subscriptions = subscriptions;
        this.name = name;
        this.maxWaiting = maxWaiting;
    }

    @Override
    public CompletableFuture<Message> publish(Publish request) {
        Objects.requireNonNull(request, "request");
        return ClientChecks.attempt(() -> send(request));
    }

    private CompletableFuture<Message> send(Publish request) {
        if (request.kind() != Kind.CHAT) {
            throw new ValidationException(ErrorCode.INVALID_KIND, "a node client publishes chat "
                    + "messages only; the node publishes join and leave messages itself");
        }
        ClientChecks.requireSelf(name, request.sender(), "publish");
        String key = request.idempotencyKey() != null ? request.idempotencyKey()
                : UUID.randomUUID().toString();
        return link.callRepeatable(id -> new Frame.Send(id, request.room(), request.text(), key,
                null, System.currentTimeMillis()), Frame.Ack.class, Frame.Ack::message);
    }

    @Override
    public CompletableFuture<Subscription> subscribe(String room, Position from,
            RoomListener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(listener, "listener");
        return ClientChecks.attempt(() -> join(room, from, listener));
    }

    private CompletableFuture<Subscription> join(String room, Position from,
            RoomListener listener) {
        Names.requireRoom(room);
        RoomSubscription subscription = new RoomSubscription(room, listener, link, maxWaiting,
                this::leave);
        if (!subscriptions.add(subscription)) {
            throw new ValidationException(ErrorCode.ALREADY_JOINED, "this client already "
                    + "subscribes to room " + room + "; a node connection joins a room once");
        }

        // A join lost with its connection is sent again on the next one: until its reply came,
        // the room is not among those the reconnect joins again, so it is joined once.
        link.callRepeatable(id -> joinFrame(id, room, from), Frame.Joined.class, joined -> {
                    subscriptions.joined(subscription, from,
                            resumeOf(joined, link.connection()));
                    return joined;
                })
                .whenComplete((joined, error) -> {
                    if (error != null) {
                        subscriptions.remove(subscription);
                        link.callbacks().execute(() -> subscription.started()
                                .completeExceptionally(NodeConnection.unwrap(error)));
                    }
                });
        return subscription.started();
    }

    /**
     * Joins again, on a new connection, every room this client had joined, each after the
     * last message its listener got; completes when every room answered.
     */
    CompletableFuture<Void> resume(NodeConnection connection) {
        List<CompletableFuture<?>> joins = new ArrayList<>();
        for (RoomSubscription subscription : subscriptions.joined()) {
            Position from = subscriptions.lastSeen(subscription.room())
                    .<Position>map(after -> after).orElse(Position.now());
            joins.add(connection.exchange(id -> joinFrame(id, subscription.room(), from),
                    Frame.Joined.class, NodeConnection.REPLY_TIMEOUT, joined -> {
                        subscriptions.rejoined(subscription, from,
                                resumeOf(joined, connection));
                        return joined;
                    }));
        }
        LOG.debug("rejoining rooms url={} count={}", connection.url(), joins.size());
        return CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new));
    }

    /** Leaves {@code subscription}'s room on the node; {@code false} if it was not joined. */
    CompletableFuture<Boolean> leave(RoomSubscription subscription) {
        subscriptions.remove(subscription);
        NodeConnection connection = link.connection();
        if (!connection.isOpen()) {
            return CompletableFuture.completedFuture(false);
        }
        return connection.call(id -> new Frame.Leave(id, subscription.room()),
                Frame.Left.class, left -> true)
                .handle((left, error) -> {
                    if (error == null) {
                        return true;
                    }
                    if (error instanceof ValidationException refused
                            && refused.code() == ErrorCode.NOT_JOINED) {
                        return false;
                    }
                    throw error instanceof RuntimeException failure ? failure
                            : new BrokerException("cannot leave " + subscription.room(), error);
                });
    }

    @Override
    public CompletableFuture<List<Message>> history(String room, long beforeOffset, int limit) {
        Objects.requireNonNull(room, "room");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(room);
            Long before = beforeOffset == Long.MAX_VALUE ? null : beforeOffset;
            return link.callRepeatable(id -> new Frame.History(id, room, before, limit),
                    Frame.HistoryPage.class,
                    page -> page.messages() == null ? List.of() : List.copyOf(page.messages()));
        });
    }

    @Override
    public CompletableFuture<List<RoomInfo>> list() {
        return link.callRepeatable(Frame.ListRooms::new, Frame.RoomList.class,
                NodeRooms::roomsOf);
    }

    private static List<RoomInfo> roomsOf(Frame.RoomList list) {
        if (list.rooms() == null) {
            return List.of();
        }
        return list.rooms().stream()
                .map(room -> new RoomInfo(room.name(), room.epoch(), room.lastOffset(),
                        room.members()))
                .collect(Collectors.toUnmodifiableList());
    }

    private static Frame.Join joinFrame(long id, String room, Position from) {
        if (from instanceof Position.After after) {
            return new Frame.Join(id, room, new Frame.After(after.epoch(), after.offset()), null);
        }
        if (from instanceof Position.Last last) {
            return new Frame.Join(id, room, null, last.count());
        }
        return new Frame.Join(id, room, null, null);
    }

    private static Resume resumeOf(Frame.Joined joined, NodeConnection connection) {
        if (joined.epoch() == null) {
            throw new BrokerException(connection.url() + " joined room " + joined.room()
                    + " without saying its epoch");
        }
        return new Resume(status(joined.resume(), connection), joined.epoch(),
                joined.lastOffset());
    }

    private static Resume.Status status(String resume, NodeConnection connection) {
        if ("fresh".equals(resume)) {
            return Resume.Status.FRESH;
        }
        if ("complete".equals(resume)) {
            return Resume.Status.COMPLETE;
        }
        if (!"lost".equals(resume)) {
            LOG.warn("unknown resume status taken as lost url={} resume={}", connection.url(),
                    resume);
        }
        return Resume.Status.LOST;
    }
}
