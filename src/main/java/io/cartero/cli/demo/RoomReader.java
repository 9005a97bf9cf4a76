package io.cartero.cli.demo;

import io.cartero.broker.BrokerException;
import io.cartero.broker.RoomListener;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A member of a room that hands each chat message it receives to the tour (joins and leaves
 * are not counted). It may start held: messages are kept back, in order, until
 * {@link #release()}, so that what the broker said when the subscription started can be told
 * before them. Thread-safe: its state moves under {@code this}.
 */
final class RoomReader implements RoomListener {
    private final Consumer<Message> onMessage;
    private final Deliveries deliveries;
    private final List<Message> held = new ArrayList<>();
    private boolean holding;
    private Message first;
    private Message last;

    private RoomReader(Consumer<Message> onMessage, Deliveries deliveries, boolean holding) {
        this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.holding = holding;
    }

    /** A reader that hands on each message as it arrives. */
    static RoomReader live(Consumer<Message> onMessage, Deliveries deliveries) {
        return new RoomReader(onMessage, deliveries, false);
    }

    /** A reader that keeps messages back until {@link #release()}. */
    static RoomReader held(Consumer<Message> onMessage, Deliveries deliveries) {
        return new RoomReader(onMessage, deliveries, true);
    }

    @Override
    public synchronized void onMessage(Message message) {
        if (message.kind() != Kind.CHAT) {
            return;
        }
        first = first == null ? message : first;
        last = message;
        if (holding) {
            held.add(message);
        } else {
            onMessage.accept(message);
        }
        notifyAll();
    }

    @Override
    public void onEnd(Throwable cause) {
        deliveries.fail(cause != null ? cause : new BrokerException("subscription ended"));
    }

    /** Hands on what was held, then every message as it arrives. */
    synchronized void release() {
        holding = false;
        held.forEach(onMessage);
        held.clear();
    }

    /**
     * Waits until the message at {@code offset} arrived (held or not).
     *
     * @throws TourException if it does not come within {@link Deliveries#WAIT}
     */
    synchronized void awaitOffset(long offset) throws InterruptedException {
        long deadline = System.nanoTime() + Deliveries.WAIT.toNanos();
        while (last == null || last.offset() < offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TourException("error.demo_timeout", Deliveries.WAIT.toSeconds());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The first chat message received, or {@code null}. */
    synchronized Message first() {
        return first;
    }

    /** The last chat message received, or {@code null}. */
    synchronized Message last() {
        return last;
    }
}
