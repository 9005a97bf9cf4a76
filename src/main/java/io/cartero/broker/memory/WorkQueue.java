package io.cartero.broker.memory;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Taken;
import io.cartero.message.QueueMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named work queue: the messages that wait, first in first out; the pops and takes that
 * wait for a message, in arrival order; and the messages taken under a lease, by receipt. At
 * any time the waiting messages or the waiting callers are empty. Every change is written to
 * the journal under the lock, before it shows in memory. Futures are completed outside the
 * lock, so a caller's callback never runs while holding it. Thread-safe: the state is guarded
 * by this object's monitor.
 */
final class WorkQueue {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    private final String name;
    private final int capacity;
    private final Journal journal;
    private final ScheduledExecutorService timer;
    /** Starts every receipt: differs each time the broker starts, so old receipts never match. */
    private final String generation;
    /** Guarded by this. */
    private final ArrayDeque<Journal.QueueEntry> messages = new ArrayDeque<>();
    /** Guarded by this. */
    private final ArrayDeque<Waiter<?>> waiters = new ArrayDeque<>();
    /** Messages taken and not yet confirmed, by receipt. Guarded by this. */
    private final Map<String, Lease> leases = new HashMap<>();
    /** The id of the next message pushed. Guarded by this. */
    private long nextId;

    WorkQueue(String name, int capacity, Journal journal, ScheduledExecutorService timer,
            String generation, Journal.QueueContents found) {
        this.name = name;
        this.capacity = capacity;
        this.journal = journal;
        this.timer = timer;
        this.generation = generation;
        this.nextId = found == null ? 1 : found.nextId();
        if (found != null) {
            messages.addAll(found.waiting());
        }
    }

    /**
     * Hands {@code message} to the oldest waiting caller, or appends it to the tail. Returns
     * the journal's commit of the push, which the caller awaits before answering.
     */
    Journal.Commit push(QueueMessage message) {
        Journal.Commit commit;
        Runnable handoff;
        synchronized (this) {
            if (waiters.isEmpty() && messages.size() >= capacity) {
                throw new BrokerException("queue " + name + " is full: " + capacity
                        + " messages wait in it");
            }
            Journal.QueueEntry entry = new Journal.QueueEntry(nextId, message, 0);
            commit = journal.changed(change(Journal.QueueChange.Type.PUSH, entry));
            nextId++;
            handoff = handOver(entry, false);
        }
        handoff.run();
        return commit;
    }

    /** A pop: the head message leaves the queue when handed over. */
    Waiter<QueueMessage> pop(boolean wait) {
        return await(this::popped, wait);
    }

    /** A take: the head message is leased for {@code lease} when handed over. */
    Waiter<Taken> take(Duration lease, boolean wait) {
        return await(entry -> leased(entry, lease), wait);
    }

    /**
     * Forgets the message leased under {@code receipt}. Returns the journal's commit, or null
     * if no lease has that receipt.
     */
    synchronized Journal.Commit confirm(String receipt) {
        Lease lease = leases.get(receipt);
        if (lease == null) {
            return null;
        }
        Journal.Commit commit = journal.changed(change(Journal.QueueChange.Type.CONFIRM,
                lease.entry()));
        leases.remove(receipt);
        lease.expiry().cancel(false);
        return commit;
    }

    synchronized long depth() {
        return messages.size();
    }

    /** Takes {@code waiter} out of line if its outcome is not yet decided. */
    synchronized boolean withdraw(Waiter<?> waiter) {
        if (!waiter.decide()) {
            return false;
        }
        waiters.remove(waiter);
        return true;
    }

    /** Fails every waiting caller with {@code cause} and stops watching leases. */
    void close(Throwable cause) {
        List<Waiter<?>> failed = new ArrayList<>();
        synchronized (this) {
            for (Waiter<?> waiter : waiters) {
                waiter.decide();
                failed.add(waiter);
            }
            waiters.clear();
            leases.values().forEach(lease -> lease.expiry().cancel(false));
        }
        for (Waiter<?> waiter : failed) {
            waiter.fail(cause);
        }
    }

    private <T> Waiter<T> await(Function<Journal.QueueEntry, T> claim, boolean wait) {
        Waiter<T> waiter = new Waiter<>(this, claim);
        Runnable handoff;
        synchronized (this) {
            Journal.QueueEntry head = messages.pollFirst();
            if (head == null && wait) {
                waiters.addLast(waiter);
                return waiter;
            }
            waiter.decide();
            handoff = head == null ? () -> waiter.deliver(Optional.empty()) : serve(waiter, head);
        }
        handoff.run();
        return waiter;
    }

    /** Gives {@code entry} to the oldest waiting caller, or keeps it. Caller holds the lock. */
    private Runnable handOver(Journal.QueueEntry entry, boolean atHead) {
        Waiter<?> taker = waiters.pollFirst();
        if (taker == null) {
            if (atHead) {
                messages.addFirst(entry);
            } else {
                messages.addLast(entry);
            }
            return () -> { };
        }
        taker.decide();
        return serve(taker, entry);
    }

    /**
     * Claims {@code entry} for {@code waiter}, whose outcome is decided, and returns how to
     * tell it. If the claim cannot be recorded, the entry goes back to the head and the
     * waiter fails. Caller holds the lock.
     */
    private <T> Runnable serve(Waiter<T> waiter, Journal.QueueEntry entry) {
        try {
            T value = waiter.claim(entry);
            return () -> waiter.deliver(Optional.of(value));
        } catch (BrokerException e) {
            messages.addFirst(entry);
            return () -> waiter.fail(e);
        }
    }

    /** The claim of a pop. Caller holds the lock. */
    private QueueMessage popped(Journal.QueueEntry entry) {
        journal.changed(change(Journal.QueueChange.Type.POP, entry));
        return entry.message();
    }

    /** The claim of a take. Caller holds the lock. */
    private Taken leased(Journal.QueueEntry entry, Duration lease) {
        Journal.QueueEntry taken = entry.takenAgain();
        String receipt = generation + "-" + taken.id() + "-" + taken.attempts();
        journal.changed(change(Journal.QueueChange.Type.TAKE, taken));
        ScheduledFuture<?> expiry;
        try {
            expiry = timer.schedule(() -> expire(receipt), lease.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw Lifecycle.closedException();
        }
        leases.put(receipt, new Lease(taken, expiry));
        LOG.debug("taken queue={} id={} attempt={}", name, taken.id(), taken.attempts());
        return new Taken(taken.message(), receipt, taken.attempts());
    }

    /** The lease under {@code receipt} ended unconfirmed: its message goes back to the head. */
    private void expire(String receipt) {
        Runnable handoff;
        synchronized (this) {
            Lease lease = leases.remove(receipt);
            if (lease == null) {
                return;
            }
            recordReturn(lease.entry());
            handoff = handOver(lease.entry(), true);
        }
        handoff.run();
        LOG.debug("lease ended queue={} receipt={}", name, receipt);
    }

    private void recordReturn(Journal.QueueEntry entry) {
        try {
            journal.changed(change(Journal.QueueChange.Type.RETURN, entry));
        } catch (BrokerException e) {
            // The journal still holds the take unconfirmed, so a restart returns it too.
            LOG.warn("lease return not recorded queue={} id={}", name, entry.id(), e);
        }
    }

    private static Journal.QueueChange change(Journal.QueueChange.Type type,
            Journal.QueueEntry entry) {
        return new Journal.QueueChange(type, entry);
    }

    /** A message taken under a lease, and the timer task that ends the lease. */
    private record Lease(Journal.QueueEntry entry, ScheduledFuture<?> expiry) {
    }
}
