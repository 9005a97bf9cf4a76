package io.cartero.broker.memory;

import io.cartero.message.Message;
import java.util.List;

/** The journal of a broker that keeps nothing on disk. Stateless and thread-safe. */
final class NoJournal implements Journal {
    static final NoJournal INSTANCE = new NoJournal();

    private NoJournal() {
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public List<RoomHistory> rooms() {
        return List.of();
    }

    @Override
    public List<QueueContents> queues() {
        return List.of();
    }

    @Override
    public Commit appended(Message message, String idempotencyKey) {
        return Commit.DONE;
    }

    @Override
    public Commit changed(QueueChange change) {
        return Commit.DONE;
    }

    @Override
    public void check() {
        // Memory cannot fail to record.
    }

    @Override
    public void close() {
        // Nothing is held.
    }
}
