package io.cartero.node;

import io.cartero.broker.Position;
import io.cartero.broker.RoomListener;
import io.cartero.broker.Subscription;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.DirectRooms;
import io.cartero.protocol.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named connection's view of its user's list of conversations (see
 * {@link Conversations}), turned into {@code direct} frames. It reads the list's newest
 * entries first (the subscription's backlog): once the backlog is all in, it sends one frame
 * per conversation, the most recent 50, the most recent last; after that, one frame per entry
 * appended. Never blocks the broker: it only queues frames. Thread-safe.
 *
 * <p>The subscription ends with {@link #close}, or with the connection (through
 * {@code onEnd}) if the broker ends it or cannot start it.
 */
final class DirectFeed implements RoomListener {
    private static final Logger LOG = LoggerFactory.getLogger(DirectFeed.class);

    private final String conn;
    private final String user;
    private final Outbox outbox;
    private final NodeContext node;
    private final Consumer<Throwable> onEnd;
    /** Names from the backlog, oldest first, until it is all in; guarded by this. */
    private final ArrayDeque<String> backlog = new ArrayDeque<>();
    /** The backlog's last offset, once the subscription says it; -1 before; guarded by this. */
    private long lastOffset = -1;
    /** The offset of the newest entry seen; guarded by this. */
    private long seen;
    /** Whether the backlog is sent and live entries go straight out; guarded by this. */
    private boolean live;
    /** Whether delivery has stopped; guarded by this. */
    private boolean closed;
    /** The subscription to the list, once started; guarded by this. */
    private CompletableFuture<Subscription> subscription;

    DirectFeed(String conn, String user, Outbox outbox, NodeContext node,
            Consumer<Throwable> onEnd) {
        this.conn = conn;
        this.user = user;
        this.outbox = outbox;
        this.node = node;
        this.onEnd = onEnd;
    }

    @Override
    public synchronized void onMessage(Message entry) {
        if (closed) {
            return;
        }
        seen = entry.offset();
        if (live) {
            send(entry.text());
            return;
        }
        backlog.add(entry.text());
        if (lastOffset >= 0 && seen >= lastOffset) {
            goLive();
        }
    }

    @Override
    public synchronized void onHistoryLost(String room, String epoch, long nextOffset) {
        LOG.debug("conversation list lost entries conn={} next_offset={}", conn, nextOffset);
        if (!live && lastOffset >= 0) {
            goLive();
        }
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

    /** Subscribes to the user's list: its newest entries, then the ones appended. */
    void start() {
        CompletableFuture<Subscription> started = node.broker().rooms().subscribe(
                Conversations.listRoom(user), Position.last(Conversations.SCAN), this);
        synchronized (this) {
            subscription = started;
            if (closed) {
                started.thenAccept(Subscription::close);
            }
        }
        started.whenComplete((done, failure) -> {
            if (failure != null) {
                onEnd(failure);
            } else {
                started(done.resume().lastOffset());
            }
        });
    }

    /** The subscription is in place, with {@code offset} its backlog's last offset. */
    private synchronized void started(long offset) {
        lastOffset = offset;
        if (!live && seen >= lastOffset) {
            goLive();
        }
    }

    /** Stops delivery and closes the subscription. Idempotent. */
    synchronized void close() {
        closed = true;
        backlog.clear();
        if (subscription != null) {
            subscription.thenAccept(Subscription::close);
        }
    }

    private void goLive() {
        live = true;
        for (String other : mostRecent(backlog)) {
            send(other);
        }
        backlog.clear();
    }

    /** The newest {@value Conversations#MOST_RECENT} distinct names, oldest first. */
    private static List<String> mostRecent(ArrayDeque<String> entries) {
        LinkedHashSet<String> newestFirst = new LinkedHashSet<>();
        Iterator<String> names = entries.descendingIterator();
        while (names.hasNext() && newestFirst.size() < Conversations.MOST_RECENT) {
            newestFirst.add(names.next());
        }
        List<String> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private void send(String other) {
        try {
            Names.requireUser(other);
        } catch (ValidationException e) {
            LOG.warn("conversation list entry skipped conn={} reason={}", conn, e.getMessage());
            return;
        }
        if (other.equals(user)) {
            return;
        }
        String room = DirectRooms.room(user, other);
        outbox.write(node.codec().encode(new Frame.Direct(null, other, room)));
    }
}
