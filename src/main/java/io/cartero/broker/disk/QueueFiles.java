package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import io.cartero.broker.memory.Journal;
import io.cartero.message.QueueMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one queue: every change (push, pop, take, confirm, lease return), one
 * record each, in the order they happened. The log is kept short by compaction: once the
 * newest segment holds twice as many records as the queue has messages (and at least
 * {@value #COMPACT_AFTER}), a new segment is written beside it that starts with a snapshot
 * record and holds only what the queue holds now; it replaces the old ones by an atomic
 * rename, so a crash leaves either the old segments or the new one, never half of it.
 * Thread-safe: every method runs under this object's monitor.
 *
 * <p>Record payload: type (1 push, 2 pop, 3 take, 4 confirm, 5 return) | id | attempts
 * [| sent-at | sender | text, for a push]; or type 6 (snapshot) | next id.
 */
final class QueueFiles {
    private static final Logger LOG = LoggerFactory.getLogger(QueueFiles.class);
    static final int TYPE = 2;
    static final int COMPACT_AFTER = 10_000;
    private static final int SNAPSHOT = 6;
    private static final Journal.QueueChange.Type[] TYPES = Journal.QueueChange.Type.values();

    private final Path dir;
    private final String queue;
    private final SegmentLog log;
    /** What the queue holds now, as written. */
    private final QueueState state = new QueueState();
    /** The sequence number of each segment on disk, oldest first. */
    private final List<Long> bases = new ArrayList<>();

    QueueFiles(Path dir, String queue, FsyncPolicy policy) {
        this.dir = dir;
        this.queue = queue;
        this.log = new SegmentLog(dir, policy);
    }

    SegmentLog log() {
        return log;
    }

    /** Writes one change of the queue. */
    synchronized Journal.Commit record(Journal.QueueChange change) {
        if (!log.hasSegment()) {
            log.start(header(1));
            bases.add(1L);
        }
        Journal.QueueEntry entry = change.entry();
        Journal.Commit commit = log.append(encode(change.type(), entry));
        state.apply(change.type(), entry.id(), entry.attempts(), entry.message());
        if (log.records() >= Math.max(COMPACT_AFTER, 2L * state.size())) {
            compact();
        }
        return commit;
    }

    /**
     * Reads the queue's segments back, or null if it has none. Torn or corrupt tails are set
     * aside; leased messages come back at the head.
     */
    synchronized Journal.QueueContents recover() throws IOException {
        deleteUnfinishedCompactions();
        Path last = null;
        int lastCount = 0;
        for (Path file : SegmentFile.list(dir)) {
            SegmentFile.Scan scan = SegmentFile.read(file, TYPE, queue);
            if (scan != null) {
                lastCount = replay(file, scan);
                bases.add(scan.header().base());
                last = file;
            }
        }
        if (last == null) {
            return null;
        }
        log.continueWith(last, lastCount);
        return state.afterRestart(queue);
    }

    private int replay(Path file, SegmentFile.Scan scan) throws IOException {
        int good = 0;
        for (SegmentFile.Record record : scan.records()) {
            if (!apply(record)) {
                SegmentFile.setAside(file, record.position(), "unreadable queue change");
                break;
            }
            good++;
        }
        return good;
    }

    /** Applies one record to the state; false if it does not parse. */
    private boolean apply(SegmentFile.Record record) {
        try {
            Payload.In in = new Payload.In(record.payload());
            int type = in.readByte();
            if (type == SNAPSHOT) {
                state.reset(in.readLong());
                in.requireEnd();
                return true;
            }
            Journal.QueueChange.Type change = TYPES[type - 1];
            long id = in.readLong();
            int attempts = in.readInt();
            QueueMessage message = change == Journal.QueueChange.Type.PUSH
                    ? new QueueMessage(queue, in.readString(), in.readString(), in.readLong())
                    : null;
            in.requireEnd();
            state.apply(change, id, attempts, message);
            return true;
        } catch (RuntimeException e) {
            // Any field that does not parse makes the record corrupt, whatever the exception.
            LOG.debug("unreadable record queue={} reason={}", queue, e.toString());
            return false;
        }
    }

    private static byte[] encode(Journal.QueueChange.Type type, Journal.QueueEntry entry) {
        Payload.Out out = new Payload.Out().writeByte(type.ordinal() + 1)
                .writeLong(entry.id()).writeInt(entry.attempts());
        if (type == Journal.QueueChange.Type.PUSH) {
            QueueMessage message = entry.message();
            out.writeString(message.sender()).writeString(message.text())
                    .writeLong(message.sentAt());
        }
        return out.toBytes();
    }

    /** Replaces every segment by one that holds only what the queue holds now. */
    private void compact() {
        long base = bases.get(bases.size() - 1) + 1;
        Path target = SegmentFile.path(dir, base);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            int count = writeSnapshot(temporary, base);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            DataDirectory.forceDirectory(dir);
            log.continueWith(target, count);
        } catch (IOException | BrokerException e) {
            LOG.warn("compaction failed queue={} file={}", queue, target, e);
            deleteQuietly(temporary);
            return;
        }
        List<Long> old = new ArrayList<>(bases);
        bases.clear();
        bases.add(base);
        for (Long each : old) {
            deleteQuietly(SegmentFile.path(dir, each));
        }
        LOG.debug("compacted queue={} messages={} segment={}", queue, state.size(), base);
    }

    private int writeSnapshot(Path file, long base) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(SegmentFile.header(header(base)));
        bytes.write(SegmentFile.frame(new Payload.Out().writeByte(SNAPSHOT)
                .writeLong(state.nextId()).toBytes()));
        int count = 1;
        for (Journal.QueueEntry entry : state.waiting()) {
            bytes.write(SegmentFile.frame(encode(Journal.QueueChange.Type.PUSH, entry)));
            count++;
        }
        for (Journal.QueueEntry entry : state.leased()) {
            bytes.write(SegmentFile.frame(encode(Journal.QueueChange.Type.PUSH, entry)));
            bytes.write(SegmentFile.frame(encode(Journal.QueueChange.Type.TAKE, entry)));
            count += 2;
        }
        Files.write(file, bytes.toByteArray(), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        return count;
    }

    private SegmentFile.Header header(long base) {
        return new SegmentFile.Header(TYPE, queue, "", base);
    }

    private void deleteUnfinishedCompactions() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tmp")).toList()) {
                Files.delete(file);
            }
        }
    }

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("file not deleted queue={} file={}", queue, file, e);
        }
    }
}
