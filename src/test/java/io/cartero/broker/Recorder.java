package io.cartero.broker;

import static org.awaitility.Awaitility.await;

import io.cartero.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that records what it receives, in order, for tests. Thread-safe. */
public class Recorder implements RoomListener {
    /** Guarded by itself. */
    private final List<Object> events = new ArrayList<>();
    private final AtomicInteger messageCount = new AtomicInteger();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    /** A history-lost notice as the listener received it. */
    public record Lost(String room, String epoch, long nextOffset) {
    }

    @Override
    public void onMessage(Message message) {
        synchronized (events) {
            events.add(message);
        }
        messageCount.incrementAndGet();
    }

    @Override
    public void onHistoryLost(String room, String epoch, long nextOffset) {
        synchronized (events) {
            events.add(new Lost(room, epoch, nextOffset));
        }
    }

    @Override
    public void onEnd(Throwable cause) {
        ended.complete(cause);
    }

    /** Every message and history-lost notice so far, in the order received. */
    public List<Object> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The messages received so far. */
    public List<Message> messages() {
        List<Message> messages = new ArrayList<>();
        for (Object event : events()) {
            if (event instanceof Message message) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** The offsets of the messages received so far. */
    public List<Long> offsets() {
        return messages().stream().map(Message::offset).toList();
    }

    /** The history-lost notices received so far. */
    public List<Lost> losses() {
        List<Lost> losses = new ArrayList<>();
        for (Object event : events()) {
            if (event instanceof Lost lost) {
                losses.add(lost);
            }
        }
        return losses;
    }

    /** Completes with the cause given to {@link #onEnd}. */
    public CompletableFuture<Throwable> ended() {
        return ended;
    }

    /** Waits until at least {@code count} messages have arrived. */
    public void awaitMessages(int count, Duration timeout) {
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> messageCount.get() >= count);
    }
}
