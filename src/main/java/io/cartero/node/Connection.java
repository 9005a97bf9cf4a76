package io.cartero.node;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import io.cartero.protocol.FrameException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket session: decodes its frames, checks the session state (hello first,
 * a name for sending) and hands each request to the room or queue requests.
 *
 * <p>Frames are handled one at a time, in arrival order, by a chain of inbound steps. Almost
 * every step finishes at once (its reply follows later, in order, through {@link Replies});
 * only a {@code hello} holds the frames behind it until its name is reserved, since they
 * depend on it. Closing the connection is the last step: it releases the name, leaves every
 * room and cancels waiting pops and takes.
 *
 * <p>A connection replaced by a newer one of the same session (see {@link Sessions}) leaves its
 * rooms but keeps the name reserved, since the newer connection holds it with the same token;
 * the newer one's hello is answered only after that clean-up, so that nothing it joins is
 * undone.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

    private final String id;
    /** The client's IP address, as the node saw it. */
    private final String address;
    private final Session session;
    private final NodeContext node;
    private final Outbox outbox;
    private final Replies replies;
    private final RoomRequests rooms;
    private final QueueRequests queues;
    private final ViewRequests views;
    /** What the connection produced and consumed, for the broker view. */
    private final Activity activity = new Activity();
    /** The inbound steps: one per frame received, then the clean-up. */
    private final SerialSteps inbound;
    /** The connection's allowance of requests. */
    private final TokenBucket allowance;
    /** Requests refused for the rate; too many close the connection with 4005. */
    private final ErrorBudget rateRefusals;
    /** Set once, when the WebSocket is closed. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Completes when the clean-up has left every room and released the name. */
    private final CompletableFuture<Void> cleanedUp = new CompletableFuture<>();
    /** When the last frame arrived from the client, in {@link System#nanoTime} units. */
    private volatile long lastHeard = System.nanoTime();
    /** Set once the connection counts toward its address's limit. */
    private volatile boolean counted;
    /** Set once a newer connection of the same session replaced this one. */
    private volatile boolean replaced;
    /** Set once the node starts to shut down: new requests are refused. */
    private volatile boolean draining;
    /** Whether a hello succeeded; written by the inbound steps, read by any thread. */
    private volatile boolean greeted;
    /** The session's user name, {@code null} if anonymous; written by the inbound steps. */
    private volatile String name;
    /**
     * Who holds {@link #name} in the name registry: the client's session token, or one made
     * for this connection when the client sent none; written by the inbound steps.
     */
    private volatile String holder = UUID.randomUUID().toString();
    /** The {@code direct} frames of a named session, set once after its welcome. */
    private volatile DirectFeed directs;

    Connection(String id, String address, Session session, NodeContext node) {
        NodeSettings settings = node.settings();
        Guards guards = settings.guards();
        this.id = id;
        this.address = address;
        this.allowance = new TokenBucket(guards.requestBurst(), guards.requestsPerSecond(),
                System.nanoTime());
        this.rateRefusals = new ErrorBudget(guards.maxRateRefusals(), settings.errorWindow());
        this.session = session;
        this.node = node;
        this.outbox = new Outbox(id, session, settings.maxPendingBytes(),
                settings.maxPendingFrames(), this::closed, node.metrics());
        this.inbound = new SerialSteps(id, settings.maxPendingFrames());
        this.replies = new Replies(id, outbox, node.codec(),
                new ErrorBudget(settings.maxErrors(), settings.errorWindow()), node.metrics(),
                node.failures());
        this.rooms = new RoomRequests(id, node, outbox, replies, () -> name, this::feedEnded,
                activity);
        this.queues = new QueueRequests(node, replies, () -> name, activity);
        this.views = new ViewRequests(this, node, replies);
    }

    /** The connection's id in logs, such as {@code c12}. */
    String id() {
        return id;
    }

    /** The connection now counts toward its address's limit of open connections. */
    void counted() {
        counted = true;
    }

    /** Whether the connection counts toward its address's limit. */
    boolean wasCounted() {
        return counted;
    }

    /** The client's IP address. */
    String address() {
        return address;
    }

    /**
     * Refuses the connection before any request: writes an error frame with {@code code} and
     * closes with {@code closeCode}.
     */
    void refuseAtOnce(ErrorCode code, String message, int closeCode) {
        outbox.write(node.codec().encode(new Frame.Error(null, code.wireName(), message)));
        outbox.close(closeCode, message.length() > 120 ? message.substring(0, 120) : message);
    }

    /** Handles one text frame from the client. Called by Jetty, one frame at a time. */
    void onText(String text) {
        long now = System.nanoTime();
        lastHeard = now;
        if (outbox.closing()) {
            return;
        }
        if (!allowance.take(now)) {
            rateLimited(now, FrameIds.peek(text));
            return;
        }
        if (draining) {
            refuse(FrameIds.peek(text), ErrorCode.SHUTTING_DOWN,
                    "the node is shutting down; reconnect (to another node if you know one)");
            return;
        }
        if (Utf8.exceeds(text, node.settings().maxFrameBytes())) {
            Long requestId = FrameIds.peek(text);
            LOG.debug("frame too large conn={} id={} chars={}", id, requestId, text.length());
            refuse(requestId, ErrorCode.FRAME_TOO_LARGE, "frame is larger than "
                    + node.settings().maxFrameBytes() + " bytes");
            return;
        }
        Frame frame;
        try {
            frame = node.codec().decode(text);
        } catch (FrameException e) {
            refuse(e.requestId(), e.code(), e.getMessage());
            return;
        }
        LOG.debug("request conn={} type={} id={}", id, typeName(frame), frame.id());
        then(() -> dispatch(frame));
    }

    /** Refuses a binary frame: the protocol is JSON text. */
    void onBinary() {
        long now = System.nanoTime();
        lastHeard = now;
        if (outbox.closing()) {
            return;
        }
        if (!allowance.take(now)) {
            rateLimited(now, null);
            return;
        }
        refuse(null, ErrorCode.BAD_FRAME, "binary frames are not accepted; send JSON text");
    }

    /** Sends a WebSocket ping, so that a quiet connection stays open. */
    void ping() {
        if (session.isOpen() && !outbox.closing()) {
            session.sendPing(NO_PAYLOAD.duplicate(), Callback.NOOP);
        }
    }

    /** Closes the connection from the node's side with {@code code}. */
    void close(int code, String reason) {
        outbox.close(code, reason);
    }

    /** Closes the connection with 4003 if it has not completed hello yet. */
    void requireGreeted() {
        if (!greeted && !outbox.closing()) {
            LOG.debug("no hello in time, closing conn={}", id);
            node.metrics().helloTimeout();
            outbox.close(Outbox.NO_HELLO, "no hello within "
                    + node.settings().helloTimeout().toMillis() + " ms");
        }
    }

    /** Closes the connection with 1001 if no frame came from the client for the idle timeout. */
    void requireHeardSince(long nanoTime) {
        if (lastHeard - nanoTime < 0 && !outbox.closing()) {
            LOG.debug("client silent, closing conn={}", id);
            outbox.close(Outbox.GOING_AWAY, "no frame from the client for "
                    + node.settings().idleTimeout().toMillis() + " ms");
        }
    }

    /**
     * Closes this connection with 4004 because a newer one of the same session holds its name.
     *
     * @return completes when this connection has left its rooms
     */
    CompletableFuture<Void> replace() {
        replaced = true;
        node.metrics().replaced();
        LOG.debug("connection replaced conn={} name={}", id, name);
        outbox.close(Outbox.REPLACED, "replaced by a newer connection of the same session");
        return cleanedUp.copy();
    }

    /** The session's user name, {@code null} if anonymous. */
    String name() {
        return name;
    }

    /** What the connection produced and consumed. */
    Activity activity() {
        return activity;
    }

    /** The feeds of the rooms joined, by room. */
    Map<String, RoomFeed> feeds() {
        return rooms.feeds();
    }

    /** Whether the operator paused this connection's queue deliveries. */
    boolean paused() {
        return activity.paused();
    }

    /** Sends a {@code view} frame; dropped if the connection is closing. */
    void sendView(String text) {
        outbox.write(text);
    }

    /** The token that holds this connection's name. */
    String holder() {
        return holder;
    }

    /** The rooms joined on this connection. */
    Set<String> rooms() {
        return rooms.joined();
    }

    /**
     * Starts a graceful shutdown of this connection: new requests are refused with
     * {@code shutting_down}, and waiting pops and takes are answered with it at once.
     */
    void drain() {
        draining = true;
        replies.drain();
        queues.cancelWaiting();
    }

    /** How many requests have no reply written yet. */
    int inFlight() {
        return replies.inFlight();
    }

    /**
     * Answers every request still waiting for the broker with {@code shutting_down}.
     *
     * @return how many requests were failed since {@link #drain}
     */
    int failUnanswered() {
        return replies.failUnanswered();
    }

    /** Frames counted in the outgoing buffer and not yet written. */
    int pendingFrames() {
        return outbox.pendingFrames();
    }

    /** Bytes counted in the outgoing buffer and not yet written. */
    long pendingBytes() {
        return outbox.pendingBytes();
    }

    /**
     * The WebSocket is closed, or the node has started to close it (frames that still come
     * are ignored): cancels waiting pops at once, so that they take nothing more from their
     * queues; then, after the frames already received, releases the name, leaves every room
     * and cancels the pops those frames started, away from the calling thread. Idempotent.
     */
    void closed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queues.cancelWaiting();
        node.view().unwatch(this);
        inbound.addAlways(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            runChore(() -> done.complete(cleanUp()));
            return done;
        });
    }

    private void rateLimited(long now, Long requestId) {
        Guards guards = node.settings().guards();
        if (rateRefusals.spend(now)) {
            LOG.warn("rate limit exceeded, closing conn={} remote={} name={} refused={}", id,
                    address, name, guards.maxRateRefusals());
            outbox.close(Outbox.RATE_LIMITED, "too many requests too fast");
            return;
        }
        LOG.debug("rate limited conn={} remote={} name={} id={}", id, address, name, requestId);
        then(() -> {
            replies.refuse(requestId, ErrorCode.RATE_LIMITED, "more than "
                    + guards.requestsPerSecond() + " requests a second; wait and send again");
            return DONE;
        });
    }

    private void then(Supplier<CompletableFuture<Void>> step) {
        if (!inbound.add(step)) {
            LOG.warn("too many requests waiting, closing conn={}", id);
            outbox.close(Outbox.SLOW_CONSUMER, "too many requests waiting");
        }
    }

    private void refuse(Long requestId, ErrorCode code, String message) {
        then(() -> {
            replies.refuse(requestId, code, message);
            return DONE;
        });
    }

    private CompletableFuture<Void> dispatch(Frame frame) {
        try {
            return handle(frame);
        } catch (RuntimeException e) {
            replies.answer(frame.id(), CompletableFuture.failedFuture(e));
            return DONE;
        }
    }

    private CompletableFuture<Void> handle(Frame frame) {
        if (frame instanceof Frame.Hello hello) {
            return hello(hello);
        }
        if (!greeted) {
            throw new ValidationException(ErrorCode.HELLO_REQUIRED,
                    "the first frame must be hello");
        }
        route(frame);
        return DONE;
    }

    private void route(Frame frame) {
        requireShortText(frame);
        if (frame instanceof Frame.Join join) {
            rooms.join(join);
        } else if (frame instanceof Frame.Leave leave) {
            rooms.leave(leave);
        } else if (frame instanceof Frame.Send send) {
            rooms.send(send);
        } else if (frame instanceof Frame.History history) {
            rooms.history(history);
        } else if (frame instanceof Frame.Who who) {
            rooms.who(who);
        } else if (frame instanceof Frame.Typing typing) {
            rooms.typing(typing);
        } else if (frame instanceof Frame.ListRooms list) {
            rooms.list(list);
        } else if (frame instanceof Frame.Push push) {
            queues.push(push);
        } else if (frame instanceof Frame.Pop pop) {
            queues.pop(pop);
        } else if (frame instanceof Frame.Take take) {
            queues.take(take);
        } else if (frame instanceof Frame.Confirm confirm) {
            queues.confirm(confirm);
        } else if (frame instanceof Frame.Depth depth) {
            queues.depth(depth);
        } else if (frame instanceof Frame.Watch
                || frame instanceof Frame.Unwatch
                || frame instanceof Frame.Journey
                || frame instanceof Frame.Compare
                || frame instanceof Frame.Operate) {
            views.route(frame);
        } else if (frame instanceof Frame.Ping ping) {
            replies.answer(ping.id(), CompletableFuture.completedFuture(new Frame.Pong(ping.id())));
        } else {
            throw new ValidationException(ErrorCode.UNKNOWN_TYPE,
                    "a client may not send frames of type " + typeName(frame));
        }
    }

    /** Refuses a send or push whose text is longer than this node's limit. */
    private void requireShortText(Frame frame) {
        String text = frame instanceof Frame.Send send ? send.text()
                : frame instanceof Frame.Push push ? push.text() : null;
        int most = node.settings().guards().maxTextCodePoints();
        if (text != null && text.codePointCount(0, text.length()) > most) {
            throw new ValidationException(ErrorCode.TEXT_TOO_LONG,
                    "message text is longer than " + most + " characters");
        }
    }

    private static String typeName(Frame frame) {
        return frame.getClass().getAnnotation(JsonTypeName.class).value();
    }

    private CompletableFuture<Void> hello(Frame.Hello hello) {
        String problem = helloProblem(hello);
        if (problem != null) {
            ErrorCode code = greeted ? ErrorCode.ALREADY_HELLO : ErrorCode.UNSUPPORTED_VERSION;
            throw new ValidationException(code, problem);
        }
        if (hello.name() == null) {
            greeted = true;
            replies.answer(hello.id(), CompletableFuture.completedFuture(welcome(hello.id())));
            return DONE;
        }
        String wanted = Names.requireUser(hello.name());
        String session = hello.session() == null ? holder : Names.requireHolder(hello.session());
        CompletableFuture<Frame> reply = reserve(wanted, session)
                .thenApply(reserved -> greet(hello.id(), wanted, session, reserved));
        replies.answer(hello.id(), reply, this::followConversations);
        return reply.handle((frame, failure) -> null);
    }

    /**
     * Reserves {@code wanted} for {@code session}, replacing an older connection of the same
     * session on this node; reserves again once that one has cleaned up, in case its clean-up
     * released the name before it learnt it was replaced.
     */
    private CompletableFuture<Boolean> reserve(String wanted, String session) {
        holder = session;
        return node.names().reserve(wanted, session).thenCompose(reserved -> !reserved
                ? CompletableFuture.completedFuture(false)
                : node.sessions().claim(wanted, session, this).thenCompose(replaced -> replaced
                        ? node.names().reserve(wanted, session)
                        : CompletableFuture.completedFuture(true)));
    }

    private String helloProblem(Frame.Hello hello) {
        if (greeted) {
            return "hello was already said on this connection";
        }
        if (hello.version() != null && hello.version() != Frame.VERSION) {
            return "this node speaks protocol version " + Frame.VERSION + ", not "
                    + hello.version();
        }
        return null;
    }

    private Frame greet(Long requestId, String wanted, String session, boolean reserved) {
        if (!reserved) {
            node.sessions().forget(wanted, this);
            throw new ValidationException(ErrorCode.NAME_TAKEN,
                    "the name " + wanted + " is in use; choose another one");
        }
        name = wanted;
        holder = session;
        greeted = true;
        LOG.info("hello conn={} remote={} name={}", id, address, wanted);
        return welcome(requestId);
    }

    private Frame.Welcome welcome(Long requestId) {
        NodeSettings settings = node.settings();
        return new Frame.Welcome(requestId, name, Frame.VERSION, node.nodeId(),
                new Frame.Limits(settings.maxFrameBytes(), settings.guards().maxTextCodePoints(),
                        RoomRequests.MAX_HISTORY));
    }

    /** Sends the user's conversations after the welcome, and each one that becomes newest. */
    private void followConversations() {
        DirectFeed feed = new DirectFeed(id, name, outbox, node, this::feedEnded);
        directs = feed;
        if (closed.get()) {
            feed.close();
            return;
        }
        feed.start();
    }

    private void feedEnded(Throwable cause) {
        node.metrics().brokerError();
        LOG.warn("room subscription ended, closing conn={} cause={}", id,
                cause == null ? "none" : cause.toString());
        outbox.close(Outbox.SERVER_ERROR, "broker subscription ended; reconnect and resume");
    }

    private Void cleanUp() {
        try {
            release();
        } catch (RuntimeException e) {
            LOG.warn("clean-up failed conn={}", id, e);
            cleanedUp.complete(null);
        }
        return null;
    }

    private void release() {
        queues.cancelWaiting();
        DirectFeed feed = directs;
        if (feed != null) {
            feed.close();
        }
        String released = name;
        if (released != null) {
            node.sessions().forget(released, this);
        }
        rooms.leaveAll().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("leaving rooms failed conn={} error={}", id, failure.toString());
            }
            cleanedUp.complete(null);
        });
        if (released != null && !replaced) {
            node.names().release(released, holder);
        }
        LOG.debug("cleaned up conn={} name={} replaced={}", id, released, replaced);
    }

    private void runChore(Runnable chore) {
        try {
            node.chores().execute(chore);
        } catch (RejectedExecutionException e) {
            chore.run();
        }
    }
}
