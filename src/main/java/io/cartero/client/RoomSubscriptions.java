package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Resume;
import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms one connection has joined, and the last position seen in each room: routes the
 * node's {@code message} and {@code history_lost} frames to their subscription, and its
 * {@code typing} frames to the client's signals.
 *
 * <p>The positions outlive subscriptions and connections: they are where a client that
 * reconnects resumes (see "Resuming after a disconnect" in {@code docs/protocol.md}).
 *
 * <p>Thread-safe. Frames arrive on the reading thread.
 */
final class RoomSubscriptions implements NodeConnection.Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(RoomSubscriptions.class);

    /** At most one subscription per room: the protocol joins a room once per connection. */
    private final ConcurrentMap<String, RoomSubscription> byRoom = new ConcurrentHashMap<>();
    /** The last message queued for a listener, per room; written on the reading thread. */
    private final ConcurrentMap<String, Position.After> lastSeen = new ConcurrentHashMap<>();
    /** Receives the node's {@code typing} frames; set once, when the client is built. */
    private volatile Consumer<Frame.Typing> typing = frame -> { };

    /** From now on, the node's {@code typing} frames go to {@code receiver}. */
    void onTyping(Consumer<Frame.Typing> receiver) {
        typing = receiver;
    }

    /** Adds {@code subscription}; {@code false} if its room already has one. */
    boolean add(RoomSubscription subscription) {
        return byRoom.putIfAbsent(subscription.room(), subscription) == null;
    }

    /** The subscription to {@code room}, or {@code null}. */
    RoomSubscription get(String room) {
        return byRoom.get(room);
    }

    void remove(RoomSubscription subscription) {
        byRoom.remove(subscription.room(), subscription);
    }

    /** Where a subscription to {@code room} would resume, if the room was ever joined. */
    Optional<Position.After> lastSeen(String room) {
        return Optional.ofNullable(lastSeen.get(room));
    }

    /** The node joined the room for {@code subscription}; on the reading thread. */
    void joined(RoomSubscription subscription, Position from, Resume resume) {
        lastSeen.put(subscription.room(), startOf(from, resume));
        subscription.joined(resume);
    }

    @Override
    public void onPush(Frame frame) {
        if (frame instanceof Frame.MessageFrame message && message.message() != null) {
            deliver(message.message());
        } else if (frame instanceof Frame.HistoryLost lost && lost.room() != null) {
            historyLost(lost);
        } else if (frame instanceof Frame.Typing signal && signal.room() != null) {
            typing.accept(signal);
        } else {
            LOG.debug("push frame without content ignored type={}", frame.getClass());
        }
    }

    @Override
    public void onLost(NodeConnection connection, ConnectionLostException cause) {
        LOG.debug("subscriptions kept across a lost connection rooms={}", byRoom.keySet());
    }

    /** The subscriptions whose room the node had joined: those to re-join after a loss. */
    List<RoomSubscription> joined() {
        List<RoomSubscription> all = new ArrayList<>();
        for (RoomSubscription subscription : byRoom.values()) {
            if (subscription.isJoined()) {
                all.add(subscription);
            }
        }
        return all;
    }

    /**
     * The node joined {@code subscription}'s room again on a new connection; on the reading
     * thread, before the backlog is read. A lost resume is told to the listener.
     */
    void rejoined(RoomSubscription subscription, Position from, Resume resume) {
        if (resume.status() == Resume.Status.LOST) {
            Position.After start = startOf(from, resume);
            lastSeen.put(subscription.room(), start);
            subscription.resumeLost(resume, start.offset() + 1);
        }
    }

    /**
     * Ends every subscription: a joined one's listener hears it after the messages already
     * queued; one still waiting for its {@code joined} fails to start.
     */
    void endAll(BrokerException cause) {
        for (RoomSubscription subscription : drain()) {
            if (subscription.isJoined()) {
                subscription.end(cause);
            } else {
                subscription.discard(cause);
            }
        }
    }

    private void deliver(Message message) {
        RoomSubscription subscription = joinedTo(message.room());
        if (subscription != null && !seenAlready(message) && subscription.deliver(message)) {
            lastSeen.put(message.room(), new Position.After(message.epoch(), message.offset()));
        }
    }

    private void historyLost(Frame.HistoryLost lost) {
        RoomSubscription subscription = joinedTo(lost.room());
        if (subscription != null && subscription.historyLost(lost)) {
            lastSeen.put(lost.room(),
                    new Position.After(lost.epoch(), Math.max(0, lost.nextOffset() - 1)));
        }
    }

    /**
     * Whether {@code message} is at or before the last position delivered in its room: a
     * frame of a connection lost meanwhile, or repeated by a resume. Never delivered twice.
     */
    private boolean seenAlready(Message message) {
        Position.After last = lastSeen.get(message.room());
        boolean seen = last != null && last.epoch().equals(message.epoch())
                && message.offset() <= last.offset();
        if (seen) {
            LOG.debug("message seen already dropped room={} offset={}", message.room(),
                    message.offset());
        }
        return seen;
    }

    /**
     * The subscription that receives {@code room}'s frames now. Frames for a subscription whose
     * {@code joined} has not arrived belong to an earlier one of the same room, already left.
     */
    private RoomSubscription joinedTo(String room) {
        RoomSubscription subscription = byRoom.get(room);
        if (subscription == null || !subscription.isJoined()) {
            LOG.debug("frame for a room not joined dropped room={}", room);
            return null;
        }
        return subscription;
    }

    private List<RoomSubscription> drain() {
        List<RoomSubscription> all = new ArrayList<>();
        for (String room : byRoom.keySet()) {
            RoomSubscription subscription = byRoom.remove(room);
            if (subscription != null) {
                all.add(subscription);
            }
        }
        return all;
    }

    /**
     * The position a subscription starts from, before any message arrives: a complete resume
     * starts where asked, a lost one from the start of the new epoch, the last N just before
     * the N newest messages, and "now" at the newest.
     */
    static Position.After startOf(Position from, Resume resume) {
        if (resume.status() == Resume.Status.COMPLETE && from instanceof Position.After after) {
            return after;
        }
        if (resume.status() == Resume.Status.LOST) {
            return new Position.After(resume.epoch(), 0);
        }
        long backlog = from instanceof Position.Last last ? last.count() : 0;
        return new Position.After(resume.epoch(), Math.max(0, resume.lastOffset() - backlog));
    }
}
