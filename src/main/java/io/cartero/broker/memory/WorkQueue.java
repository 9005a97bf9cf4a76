package io.cartero.broker.memory;

import io.cartero.broker.BrokerException;
import io.cartero.message.QueueMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One named work queue: the messages that wait, first in first out, and the pops that wait
 * for a message, in arrival order. At any time at least one of the two is empty. Futures are
 * completed outside the lock, so a caller's callback never runs while holding it.
 * Thread-safe: the state is guarded by this object's monitor.
 */
final class WorkQueue {
    private final String name;
    private final int capacity;
    /** Guarded by this. */
    private final ArrayDeque<QueueMessage> messages = new ArrayDeque<>();
    /** Guarded by this. */
    private final ArrayDeque<PendingPop> waiters = new ArrayDeque<>();

    WorkQueue(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    /** Hands {@code message} to the oldest waiting pop, or appends it to the tail. */
    void push(QueueMessage message) {
        PendingPop taker;
        synchronized (this) {
            taker = waiters.pollFirst();
            if (taker == null) {
                if (messages.size() >= capacity) {
                    throw new BrokerException("queue " + name + " is full: " + capacity
                            + " messages wait in it");
                }
                messages.addLast(message);
                return;
            }
            taker.decide();
        }
        taker.deliver(Optional.of(message));
    }

    /**
     * Takes the head message into a new pop if there is one; otherwise the pop waits in line,
     * unless {@code wait} is false, and then it completes empty.
     */
    PendingPop pop(boolean wait) {
        PendingPop pop = new PendingPop(this);
        QueueMessage head;
        synchronized (this) {
            head = messages.pollFirst();
            if (head == null && wait) {
                waiters.addLast(pop);
                return pop;
            }
            pop.decide();
        }
        pop.deliver(Optional.ofNullable(head));
        return pop;
    }

    synchronized long depth() {
        return messages.size();
    }

    /** Takes {@code pop} out of line if its outcome is not yet decided. */
    synchronized boolean withdraw(PendingPop pop) {
        if (!pop.decide()) {
            return false;
        }
        waiters.remove(pop);
        return true;
    }

    /** Fails every waiting pop with {@code cause}. */
    void failWaiters(Throwable cause) {
        List<PendingPop> failed = new ArrayList<>();
        synchronized (this) {
            for (PendingPop pop : waiters) {
                pop.decide();
                failed.add(pop);
            }
            waiters.clear();
        }
        for (PendingPop pop : failed) {
            pop.fail(cause);
        }
    }
}
