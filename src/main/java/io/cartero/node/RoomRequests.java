package io.cartero.node;

import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.Publish;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.Rooms;
import io.cartero.broker.Subscription;
import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection's room requests: join, leave, send, history, who and rooms. Requests are
 * handled one at a time by the connection's inbound steps; bad input throws a
 * {@link ValidationException}, and replies go to {@link Replies}.
 */
final class RoomRequests {
    /** Messages in a history page when the request does not say. */
    static final int DEFAULT_HISTORY = 50;
    /** The most messages in one history page. */
    static final int MAX_HISTORY = 500;

    private final String conn;
    private final NodeContext node;
    private final Outbox outbox;
    private final Replies replies;
    private final Supplier<String> user;
    private final Consumer<Throwable> onFeedEnd;
    /** The rooms joined, by name; changed by the inbound steps and by failed joins. */
    private final Map<String, Membership> joined = new ConcurrentHashMap<>();
    /** Leaves still in progress, by room: a new join of the room waits for its leave. */
    private final Map<String, CompletableFuture<Void>> leaving = new ConcurrentHashMap<>();

    RoomRequests(String conn, NodeContext node, Outbox outbox, Replies replies,
            Supplier<String> user, Consumer<Throwable> onFeedEnd) {
        this.conn = conn;
        this.node = node;
        this.outbox = outbox;
        this.replies = replies;
        this.user = user;
        this.onFeedEnd = onFeedEnd;
    }

    void join(Frame.Join request) {
        String room = Names.requireRoom(request.room());
        Position from = position(request);
        if (joined.containsKey(room)) {
            throw new ValidationException(ErrorCode.ALREADY_JOINED,
                    "room " + room + " is already joined on this connection");
        }
        int most = node.settings().guards().maxRoomsPerConnection();
        if (joined.size() >= most) {
            throw new ValidationException(ErrorCode.TOO_MANY_ROOMS,
                    "a connection may join at most " + most + " rooms at once; leave one first");
        }
        if (request.after() != null) {
            node.metrics().resume();
        }
        String name = user.get();
        RoomFeed feed = new RoomFeed(conn, room, outbox, node, onFeedEnd);
        CompletableFuture<Subscription> subscription = afterLeaving(room)
                .thenCompose(ignored -> rooms().subscribe(room, from, feed));
        CompletableFuture<Boolean> presence = subscription.thenCompose(ignored -> name == null
                ? CompletableFuture.completedFuture(false)
                : presence().join(room, name));
        Membership membership = new Membership(room, name, feed, subscription, presence);
        joined.put(room, membership);

        CompletableFuture<Frame> reply = presence
                .thenCompose(ignored -> presence().members(room))
                .thenApply(members -> joinedFrame(request.id(), room,
                        subscription.join().resume(), members));
        reply.whenComplete((frame, failure) -> {
            if (failure != null && joined.remove(room, membership)) {
                membership.end(presence());
            }
        });
        replies.answer(request.id(), reply, feed::open);
    }

    void leave(Frame.Leave request) {
        String room = Names.requireRoom(request.room());
        Membership membership = joined.remove(room);
        if (membership == null) {
            throw new ValidationException(ErrorCode.NOT_JOINED,
                    "room " + room + " is not joined on this connection");
        }
        CompletableFuture<Void> ended = membership.end(presence());
        leaving.put(room, ended);
        ended.whenComplete((ignored, failure) -> leaving.remove(room, ended));
        replies.answer(request.id(),
                ended.thenApply(ignored -> new Frame.Left(request.id(), room)));
    }

    void send(Frame.Send request) {
        String sender = requireName("send");
        Publish publish = new Publish(request.room(), sender, request.text(), Kind.CHAT,
                request.key());
        replies.answer(request.id(), rooms().publish(publish).thenApply(message -> {
            node.metrics().messageIn();
            return new Frame.Ack(request.id(), message);
        }));
    }

    void history(Frame.History request) {
        String room = Names.requireRoom(request.room());
        long before = request.before() == null ? Long.MAX_VALUE : request.before();
        int limit = request.limit() == null ? DEFAULT_HISTORY : request.limit();
        if (before < 1) {
            throw invalid("before must be 1 or more: " + before);
        }
        if (limit < 1 || limit > MAX_HISTORY) {
            throw invalid("limit must be between 1 and " + MAX_HISTORY + ": " + limit);
        }
        replies.answer(request.id(), rooms().history(room, before, limit)
                .thenApply(page -> new Frame.HistoryPage(request.id(), room, page)));
    }

    void who(Frame.Who request) {
        String room = Names.requireRoom(request.room());
        replies.answer(request.id(), presence().members(room)
                .thenApply(members -> new Frame.Members(request.id(), room, sorted(members))));
    }

    void list(Frame.ListRooms request) {
        replies.answer(request.id(), rooms().list()
                .thenApply(infos -> new Frame.RoomList(request.id(), entries(infos))));
    }

    /** The rooms joined, at this moment. */
    Set<String> joined() {
        return Set.copyOf(joined.keySet());
    }

    /**
     * Leaves every joined room, as closing the connection does.
     *
     * @return completes when every room is left
     */
    CompletableFuture<Void> leaveAll() {
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (String room : List.copyOf(joined.keySet())) {
            Membership membership = joined.remove(room);
            if (membership != null) {
                ends.add(membership.end(presence()));
            }
        }
        return CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new));
    }

    private static Position position(Frame.Join request) {
        if (request.after() != null && request.last() != null) {
            throw invalid("join takes either \"after\" or \"last\", not both");
        }
        if (request.after() != null) {
            return Position.after(request.after().epoch(), request.after().offset());
        }
        return request.last() == null ? Position.now() : Position.last(request.last());
    }

    private CompletableFuture<Void> afterLeaving(String room) {
        CompletableFuture<Void> previous = leaving.get(room);
        return previous == null
                ? CompletableFuture.completedFuture(null)
                : previous.exceptionally(failure -> null);
    }


    private String requireName(String what) {
        String name = user.get();
        if (name == null) {
            throw new ValidationException(ErrorCode.NAME_REQUIRED,
                    what + " needs a name: say hello with a name first");
        }
        return name;
    }

    private static Frame.Joined joinedFrame(Long id, String room, Resume resume,
            Collection<String> members) {
        return new Frame.Joined(id, room, resume.epoch(),
                resume.status().name().toLowerCase(Locale.ROOT), resume.lastOffset(),
                sorted(members));
    }

    private static List<Frame.RoomEntry> entries(List<RoomInfo> infos) {
        return infos.stream()
                .map(info -> new Frame.RoomEntry(info.name(), info.epoch(), info.lastOffset(),
                        info.members()))
                .toList();
    }

    private static List<String> sorted(Collection<String> members) {
        return members.stream().sorted().toList();
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private Rooms rooms() {
        return node.broker().rooms();
    }

    private Presence presence() {
        return node.broker().presence();
    }
}
