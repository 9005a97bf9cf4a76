package io.cartero.node;

import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.Publish;
import io.cartero.broker.Resume;
import io.cartero.broker.RoomInfo;
import io.cartero.broker.Rooms;
import io.cartero.broker.Signal;
import io.cartero.broker.SignalSubscription;
import io.cartero.broker.Subscription;
import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.DirectRooms;
import io.cartero.protocol.Frame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection's room requests: join, leave, send, history, who, typing and rooms. Requests are
 * handled one at a time by the connection's inbound steps; bad input throws a
 * {@link ValidationException}, and replies go to {@link Replies}.
 *
 * <p>A request names a room, or a direct conversation by the other user's name ({@code with});
 * the node turns the latter into the conversation's room, and refuses with {@code forbidden}
 * a room reserved for direct conversations named in {@code room}, so a user reaches only his
 * own conversations.
 */
final class RoomRequests {
    /** Messages in a history page when the request does not say. */
    static final int DEFAULT_HISTORY = 50;
    /** The most messages in one history page. */
    static final int MAX_HISTORY = 500;
    /** The least time between two typing signals forwarded for one room. */
    static final long TYPING_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String conn;
    private final NodeContext node;
    private final Outbox outbox;
    private final Replies replies;
    private final Supplier<String> user;
    private final Consumer<Throwable> onFeedEnd;
    private final Activity activity;
    private final Conversations conversations;
    /** The rooms joined, by name; changed by the inbound steps and by failed joins. */
    private final Map<String, Membership> joined = new ConcurrentHashMap<>();
    /** Leaves still in progress, by room: a new join of the room waits for its leave. */
    private final Map<String, CompletableFuture<Void>> leaving = new ConcurrentHashMap<>();
    /** When a typing signal was last forwarded, by room ({@link System#nanoTime}). */
    private final Map<String, Long> lastTyping = new ConcurrentHashMap<>();

    RoomRequests(String conn, NodeContext node, Outbox outbox, Replies replies,
            Supplier<String> user, Consumer<Throwable> onFeedEnd, Activity activity) {
        this.conn = conn;
        this.node = node;
        this.outbox = outbox;
        this.replies = replies;
        this.user = user;
        this.onFeedEnd = onFeedEnd;
        this.activity = activity;
        this.conversations = new Conversations(node.broker().rooms());
    }

    void join(Frame.Join request) {
        Target target = target(request.room(), request.with());
        String room = target.room();
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
        RoomFeed feed = new RoomFeed(conn, room, name, target.between(), outbox, node,
                onFeedEnd);
        CompletableFuture<Subscription> subscription = afterLeaving(room)
                .thenCompose(ignored -> rooms().subscribe(room, from, feed));
        CompletableFuture<SignalSubscription> signals = subscription
                .thenCompose(ignored -> node.broker().signals().listen(room, feed::signal));
        CompletableFuture<Boolean> presence = signals.thenCompose(ignored -> name == null
                ? CompletableFuture.completedFuture(false)
                : presence().join(room, name));
        Membership membership = new Membership(room, name, feed, subscription, signals,
                presence);
        joined.put(room, membership);

        CompletableFuture<Frame> reply = presence
                .thenCompose(ignored -> presence().members(room))
                .thenApply(members -> joinedFrame(request.id(), target,
                        subscription.join().resume(), members));
        reply.whenComplete((frame, failure) -> {
            if (failure != null && joined.remove(room, membership)) {
                membership.end(presence());
            }
        });
        replies.answer(request.id(), reply, feed::open);
    }

    void leave(Frame.Leave request) {
        Target target = target(request.room(), request.with());
        String room = target.room();
        Membership membership = joined.remove(room);
        if (membership == null) {
            throw new ValidationException(ErrorCode.NOT_JOINED,
                    "room " + room + " is not joined on this connection");
        }
        CompletableFuture<Void> ended = membership.end(presence());
        lastTyping.remove(room);
        leaving.put(room, ended);
        ended.whenComplete((ignored, failure) -> leaving.remove(room, ended));
        replies.answer(request.id(),
                ended.thenApply(ignored -> new Frame.Left(request.id(), room,
                        target.between())));
    }

    void send(Frame.Send request) {
        long accepted = System.currentTimeMillis();
        String sender = requireName("send");
        Target target = target(request.room(), request.with());
        Publish publish = new Publish(target.room(), sender, request.text(), Kind.CHAT,
                request.key());
        CompletableFuture<Void> listed = request.with() == null
                ? CompletableFuture.completedFuture(null)
                : conversations.touch(sender, request.with());
        replies.answer(request.id(), listed.thenCompose(ignored -> rooms().publish(publish))
                .thenApply(message -> {
                    node.metrics().messageIn();
                    activity.sentToRoom(message.room());
                    node.view().journeys().sent(message, conn, request.clientTime(), accepted);
                    return new Frame.Ack(request.id(), message, target.between());
                }));
    }

    /**
     * Forwards that the session's user is typing to the room's other connections, at most
     * once a second per room; a signal within the second is answered {@code ok} and dropped.
     */
    void typing(Frame.Typing request) {
        String typist = requireName("typing");
        String room = target(request.room(), request.with()).room();
        if (!joined.containsKey(room)) {
            throw new ValidationException(ErrorCode.NOT_JOINED,
                    "room " + room + " is not joined on this connection");
        }
        long now = System.nanoTime();
        Long last = lastTyping.get(room);
        Frame.Ok ok = new Frame.Ok(request.id());
        if (last != null && now - last < TYPING_EVERY_NANOS) {
            replies.answer(request.id(), CompletableFuture.completedFuture(ok));
            return;
        }
        lastTyping.put(room, now);
        replies.answer(request.id(), node.broker().signals().send(Signal.typing(room, typist))
                .thenApply(sent -> ok));
    }

    void history(Frame.History request) {
        Target target = target(request.room(), request.with());
        String room = target.room();
        long before = request.before() == null ? Long.MAX_VALUE : request.before();
        int limit = request.limit() == null ? DEFAULT_HISTORY : request.limit();
        if (before < 1) {
            throw invalid("before must be 1 or more: " + before);
        }
        if (limit < 1 || limit > MAX_HISTORY) {
            throw invalid("limit must be between 1 and " + MAX_HISTORY + ": " + limit);
        }
        replies.answer(request.id(), rooms().history(room, before, limit)
                .thenApply(page -> new Frame.HistoryPage(request.id(), room, page,
                        target.between())));
    }

    void who(Frame.Who request) {
        Target target = target(request.room(), request.with());
        replies.answer(request.id(), presence().members(target.room())
                .thenApply(members -> new Frame.Members(request.id(), target.room(),
                        sorted(members), target.between())));
    }

    /** Lists the rooms, without the ones reserved for direct conversations. */
    void list(Frame.ListRooms request) {
        replies.answer(request.id(), rooms().list()
                .thenApply(infos -> new Frame.RoomList(request.id(), entries(infos))));
    }

    /**
     * The room a request names: {@code room}, or the direct conversation with {@code with}.
     * The codec has made sure that exactly one of them is there.
     */
    Target target(String room, String with) {
        if (with == null) {
            Names.requireRoom(room);
            if (DirectRooms.isReserved(room)) {
                throw new ValidationException(ErrorCode.FORBIDDEN, "that conversation is not "
                        + "yours: " + room + " is a direct conversation; reach yours with"
                        + " \"with\" and the other user's name");
            }
            return new Target(room, null);
        }
        String me = requireName("a direct conversation");
        Names.requireUser(with);
        if (with.equals(me)) {
            throw invalid("a direct conversation needs another user than yourself");
        }
        return new Target(DirectRooms.room(me, with), DirectRooms.between(me, with));
    }

    /** The feeds of the rooms joined, by room, at this moment. */
    Map<String, RoomFeed> feeds() {
        Map<String, RoomFeed> feeds = new TreeMap<>();
        joined.forEach((room, membership) -> feeds.put(room, membership.feed()));
        return feeds;
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

    private static Frame.Joined joinedFrame(Long id, Target target, Resume resume,
            Collection<String> members) {
        return new Frame.Joined(id, target.room(), resume.epoch(),
                resume.status().name().toLowerCase(Locale.ROOT), resume.lastOffset(),
                sorted(members), target.between());
    }

    private static List<Frame.RoomEntry> entries(List<RoomInfo> infos) {
        return infos.stream()
                .filter(info -> !DirectRooms.isReserved(info.name()))
                .map(info -> new Frame.RoomEntry(info.name(), info.epoch(), info.lastOffset(),
                        info.members()))
                .toList();
    }

    private static List<String> sorted(Collection<String> members) {
        return members.stream().sorted().toList();
    }

    /**
     * The room a request is about.
     *
     * @param between a direct room's two users, sorted; {@code null} for other rooms
     */
    record Target(String room, List<String> between) {
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
