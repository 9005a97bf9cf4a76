package io.cartero.node;

import io.cartero.broker.RoomListener;
import io.cartero.broker.Signal;
import io.cartero.message.Message;
import io.cartero.protocol.Frame;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One joined room's delivery to one connection. The broker may start delivering the backlog
 * before the {@code joined} reply has gone out, so frames are held (and counted in the outbox)
 * until {@link #open} is called right after {@code joined} is written; then they follow it,
 * and live ones go straight to the outbox. Never blocks the broker: it only queues frames.
 * Typing signals of others go out as {@code typing} frames once {@code joined} is written (one
 * that comes earlier is dropped: it is stale by then). Thread-safe.
 */
final class RoomFeed implements RoomListener {
    private static final Logger LOG = LoggerFactory.getLogger(RoomFeed.class);
    /** The {@code sentAt} of a frame that is not a room message (not counted as one). */
    private static final long NOT_A_MESSAGE = Long.MIN_VALUE;

    private final String conn;
    private final String room;
    /** The session's name, whose own typing is not echoed; {@code null} if anonymous. */
    private final String user;
    /** The two users of a direct room, {@code null} for other rooms. */
    private final List<String> between;
    private final Outbox outbox;
    private final NodeContext node;
    private final Consumer<Throwable> onEnd;
    /** The latest deliveries, for the broker view and journeys; written without a lock. */
    private final DeliveryLog log = new DeliveryLog();
    /** Frames that arrived before {@code joined} was written; guarded by this. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Whether {@code joined} is written; guarded by this. */
    private boolean open;
    /** Whether delivery has stopped (left, or the connection closed); guarded by this. */
    private boolean closed;

    RoomFeed(String conn, String room, String user, List<String> between, Outbox outbox,
            NodeContext node, Consumer<Throwable> onEnd) {
        this.conn = conn;
        this.room = room;
        this.user = user;
        this.between = between;
        this.outbox = outbox;
        this.node = node;
        this.onEnd = onEnd;
    }

    @Override
    public void onMessage(Message message) {
        onMessage(message, false);
    }

    /**
     * Sends the message's frame; while {@code more} is true, Jetty gathers the frames in one
     * buffer and writes them with the next frame that is not held back, so a subscriber that
     * is behind gets a run of messages in one system call instead of one call each.
     */
    @Override
    public void onMessage(Message message, boolean more) {
        // No log line per delivery: at 100,000 a second even a disabled one costs.
        deliver(node.messageFrames().encode(message, between), message.sentAt(), more);
        log.delivered(message, System.currentTimeMillis());
    }

    /** Writes the frames gathered for a run the gate cut short. */
    @Override
    public void onRunEnd() {
        outbox.flush();
    }

    /** The latest deliveries of this feed. */
    DeliveryLog log() {
        return log;
    }

    @Override
    public void onHistoryLost(String lostRoom, String epoch, long nextOffset) {
        LOG.debug("history lost conn={} room={} next_offset={}", conn, room, nextOffset);
        deliver(node.codec().encodeUtf8(new Frame.HistoryLost(null, room, epoch, nextOffset,
                between)), NOT_A_MESSAGE, false);
    }

    @Override
    public void onEnd(Throwable cause) {
        synchronized (this) {
            if (closed) {
                return;
            }
            close();
        }
        onEnd.accept(cause);
    }

    /** Sends a typing signal of someone else in the room as a {@code typing} frame. */
    void signal(Signal signal) {
        if (!Signal.TYPING.equals(signal.kind()) || signal.sender().equals(user)) {
            return;
        }
        String text = node.codec().encode(new Frame.Typing(null, room, null, signal.sender(),
                between));
        synchronized (this) {
            if (open && !closed) {
                outbox.write(text);
            }
        }
    }

    /** Sends the held frames and lets later ones through; called after {@code joined}. */
    synchronized void open() {
        while (!held.isEmpty()) {
            Held frame = held.poll();
            outbox.send(frame.utf8, frame.size);
            counted(frame.sentAt);
        }
        open = !closed;
    }

    /**
     * Stops delivery; frames still held are dropped, and frames gathered in Jetty's buffer go
     * out.
     */
    synchronized void close() {
        closed = true;
        while (!held.isEmpty()) {
            outbox.cancel(held.poll().size);
        }
        outbox.flush();
    }

    private synchronized void deliver(byte[] utf8, long sentAt, boolean more) {
        if (closed) {
            return;
        }
        if (open) {
            outbox.write(utf8, more);
            counted(sentAt);
            return;
        }
        if (outbox.reserve(utf8.length)) {
            held.add(new Held(utf8, utf8.length, sentAt));
        }
    }

    private void counted(long sentAt) {
        if (sentAt != NOT_A_MESSAGE) {
            node.metrics().messageOut(sentAt);
        }
    }

    /** A frame held until {@code joined} is written; {@code sentAt} as for {@link #counted}. */
    private record Held(byte[] utf8, long size, long sentAt) {
    }
}
