package io.cartero.broker.disk;

import io.cartero.broker.memory.Journal;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one room: every message, one record each, in offset order. A segment
 * holds at most {@code segmentRecords} messages; whole old segments are deleted once every
 * message in them is older than the newest {@code retention}, so the disk keeps at least
 * what the broker keeps in memory. Thread-safe: appends run under this object's monitor.
 *
 * <p>Record payload: type 1 | offset | sent-at | kind | sender | text | has-key (0 or 1)
 * [| key].
 */
final class RoomFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RoomFiles.class);
    static final int TYPE = 1;
    private static final int MESSAGE = 1;

    private final Path dir;
    private final String room;
    private final int retention;
    private final int segmentRecords;
    private final SegmentLog log;
    /** The first offset of each segment on disk, oldest first. Guarded by this. */
    private final List<Long> bases = new ArrayList<>();

    RoomFiles(Path dir, String room, int retention, int segmentRecords, FsyncPolicy policy) {
        this.dir = dir;
        this.room = room;
        this.retention = retention;
        this.segmentRecords = segmentRecords;
        this.log = new SegmentLog(dir, policy);
    }

    SegmentLog log() {
        return log;
    }

    /** Writes {@code message}, the room's next one, with {@code key} or null. */
    synchronized Journal.Commit append(Message message, String key) {
        if (!log.hasSegment() || log.records() >= segmentRecords) {
            log.start(new SegmentFile.Header(TYPE, room, message.epoch(), message.offset()));
            bases.add(message.offset());
        }
        Journal.Commit commit = log.append(encode(message, key));
        dropOld(message.offset());
        return commit;
    }

    /**
     * Reads the room's segments back: its epoch and newest messages, or null if none is left,
     * in which case its segments are removed and the room starts anew. Torn or corrupt tails
     * are set aside. A gap between segments (a record lost in the middle) drops what came
     * before it, as retention would: resuming clients are told history was lost.
     */
    synchronized Journal.RoomHistory recover() throws IOException {
        ArrayDeque<Journal.StoredMessage> kept = new ArrayDeque<>();
        String epoch = null;
        long next = -1;
        Path last = null;
        int lastCount = 0;
        for (Path file : SegmentFile.list(dir)) {
            SegmentFile.Scan scan = SegmentFile.read(file, TYPE, room);
            if (scan == null) {
                continue;
            }
            SegmentFile.Header header = scan.header();
            if (!header.epoch().equals(epoch) || header.base() != next) {
                warnGap(kept, file, next, header.base());
                kept.clear();
            }
            epoch = header.epoch();
            next = header.base();
            int good = readMessages(file, scan, epoch, kept);
            next += good;
            bases.add(header.base());
            last = file;
            lastCount = good;
        }
        if (kept.isEmpty()) {
            removeSegments();
            return null;
        }
        log.continueWith(last, lastCount);
        return new Journal.RoomHistory(room, epoch, List.copyOf(kept));
    }

    /** Adds the good messages of {@code scan} to {@code kept}; returns how many it read. */
    private int readMessages(Path file, SegmentFile.Scan scan, String epoch,
            ArrayDeque<Journal.StoredMessage> kept) throws IOException {
        long offset = scan.header().base();
        int good = 0;
        for (SegmentFile.Record record : scan.records()) {
            Journal.StoredMessage stored = decode(record, epoch, offset + good);
            if (stored == null) {
                SegmentFile.setAside(file, record.position(), "unreadable message");
                break;
            }
            kept.addLast(stored);
            if (kept.size() > retention) {
                kept.removeFirst();
            }
            good++;
        }
        return good;
    }

    private Journal.StoredMessage decode(SegmentFile.Record record, String epoch, long offset) {
        try {
            Payload.In in = new Payload.In(record.payload());
            if (in.readByte() != MESSAGE || in.readLong() != offset) {
                return null;
            }
            long sentAt = in.readLong();
            Kind kind = Kind.fromWireName(in.readString());
            String sender = in.readString();
            String text = in.readString();
            String key = in.readByte() == 1 ? in.readString() : null;
            in.requireEnd();
            return new Journal.StoredMessage(
                    new Message(room, offset, epoch, sender, text, sentAt, kind), key);
        } catch (RuntimeException e) {
            // Any field that does not parse makes the record corrupt, whatever the exception.
            LOG.debug("unreadable record room={} offset={} reason={}", room, offset, e.toString());
            return null;
        }
    }

    private static byte[] encode(Message message, String key) {
        Payload.Out out = new Payload.Out().writeByte(MESSAGE).writeLong(message.offset())
                .writeLong(message.sentAt()).writeString(message.kind().wireName())
                .writeString(message.sender()).writeString(message.text());
        if (key == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1).writeString(key);
        }
        return out.toBytes();
    }

    /** Deletes the oldest segments while every message in them is beyond retention. */
    private void dropOld(long lastOffset) {
        long keepFrom = lastOffset - retention + 1;
        while (bases.size() > 1 && bases.get(1) <= keepFrom) {
            Path oldest = SegmentFile.path(dir, bases.remove(0));
            try {
                Files.deleteIfExists(oldest);
                LOG.debug("segment deleted room={} file={}", room, oldest.getFileName());
            } catch (IOException e) {
                LOG.warn("segment not deleted room={} file={}", room, oldest, e);
            }
        }
    }

    private void removeSegments() throws IOException {
        for (Path file : SegmentFile.list(dir)) {
            Files.delete(file);
        }
        bases.clear();
    }

    private void warnGap(ArrayDeque<Journal.StoredMessage> kept, Path file, long expected,
            long found) {
        if (!kept.isEmpty()) {
            LOG.warn("history gap room={} file={} expected_offset={} found_offset={}", room,
                    file, expected, found);
        }
    }
}
