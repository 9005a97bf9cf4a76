package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import io.cartero.broker.memory.Journal;
import io.cartero.message.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal on disk: one append-only log per room and per queue in a locked
 * {@link DataDirectory}. Opening it reads every log back (setting aside torn tails); with
 * {@link FsyncPolicy#INTERVAL} a daemon thread ({@code cartero-disk-flush}) flushes every log
 * once a second. Thread-safe: the maps are concurrent and each log guards itself.
 */
final class DiskJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(DiskJournal.class);
    private static final long FLUSH_INTERVAL_MILLIS = 1_000;
    private static final int MAX_SEGMENT_RECORDS = 1_000;

    private final DataDirectory data;
    private final FsyncPolicy policy;
    private final int retention;
    private final int segmentRecords;
    private final ConcurrentMap<String, RoomFiles> rooms = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, QueueFiles> queues = new ConcurrentHashMap<>();
    private final List<RoomHistory> foundRooms = new ArrayList<>();
    private final List<QueueContents> foundQueues = new ArrayList<>();
    private final ScheduledExecutorService flusher;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether a failed background flush was already reported at warn. */
    private final AtomicBoolean flushWarned = new AtomicBoolean();

    private DiskJournal(DataDirectory data, FsyncPolicy policy, int retention) {
        this.data = data;
        this.policy = policy;
        this.retention = retention;
        this.segmentRecords = Math.max(1, Math.min(MAX_SEGMENT_RECORDS, retention / 4));
        this.flusher = policy == FsyncPolicy.INTERVAL
                ? Executors.newSingleThreadScheduledExecutor(this::flushThread) : null;
    }

    /**
     * Opens the journal in {@code dir}, creating it if needed, and reads it back.
     *
     * @param retention the messages kept per room; the disk keeps at least as many
     * @throws BrokerException naming the directory or file if it cannot be used
     */
    static DiskJournal open(Path dir, int retention, FsyncPolicy policy) {
        DataDirectory data = DataDirectory.open(dir);
        DiskJournal journal = new DiskJournal(data, policy, retention);
        try {
            journal.recover();
        } catch (IOException e) {
            journal.close();
            throw new BrokerException("cannot read the data directory " + data.root() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        if (journal.flusher != null) {
            journal.flusher.scheduleWithFixedDelay(journal::flushAll, FLUSH_INTERVAL_MILLIS,
                    FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
        LOG.info("data directory open dir={} rooms={} queues={} fsync={}", data.root(),
                journal.foundRooms.size(), journal.foundQueues.size(), policy.displayName());
        return journal;
    }

    @Override
    public String describe() {
        return "embedded:" + data.root();
    }

    @Override
    public List<RoomHistory> rooms() {
        return List.copyOf(foundRooms);
    }

    @Override
    public List<QueueContents> queues() {
        return List.copyOf(foundQueues);
    }

    @Override
    public Commit appended(Message message, String idempotencyKey) {
        return rooms.computeIfAbsent(message.room(), this::newRoom)
                .append(message, idempotencyKey);
    }

    @Override
    public Commit changed(QueueChange change) {
        return queues.computeIfAbsent(change.queue(), this::newQueue).record(change);
    }

    @Override
    public void check() {
        data.check();
        rooms.values().forEach(room -> room.log().check());
        queues.values().forEach(queue -> queue.log().check());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (flusher != null) {
            stopFlusher();
        }
        rooms.values().forEach(room -> closeLog(room.log()));
        queues.values().forEach(queue -> closeLog(queue.log()));
        data.close();
        LOG.info("data directory closed dir={}", data.root());
    }

    private void recover() throws IOException {
        for (Path dir : subdirectories(data.rooms())) {
            String name = DataDirectory.nameOf(dir.getFileName().toString());
            if (name == null) {
                LOG.warn("not a room, ignored dir={}", dir);
                continue;
            }
            RoomFiles room = new RoomFiles(dir, name, retention, segmentRecords, policy);
            RoomHistory found = room.recover();
            rooms.put(name, room);
            if (found != null) {
                foundRooms.add(found);
            }
        }
        for (Path dir : subdirectories(data.queues())) {
            String name = DataDirectory.nameOf(dir.getFileName().toString());
            if (name == null) {
                LOG.warn("not a queue, ignored dir={}", dir);
                continue;
            }
            QueueFiles queue = new QueueFiles(dir, name, policy);
            QueueContents found = queue.recover();
            queues.put(name, queue);
            if (found != null) {
                foundQueues.add(found);
            }
        }
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    private RoomFiles newRoom(String name) {
        Path dir = directory(data.rooms(), name);
        return new RoomFiles(dir, name, retention, segmentRecords, policy);
    }

    private QueueFiles newQueue(String name) {
        return new QueueFiles(directory(data.queues(), name), name, policy);
    }

    private static Path directory(Path parent, String name) {
        Path dir = parent.resolve(DataDirectory.fileName(name));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BrokerException("cannot create " + dir + ": " + e.getMessage(),
                    new UncheckedIOException(e));
        }
    }

    private void flushAll() {
        try {
            rooms.values().forEach(room -> room.log().flush());
            queues.values().forEach(queue -> queue.log().flush());
            flushWarned.set(false);
        } catch (RuntimeException e) {
            if (flushWarned.compareAndSet(false, true)) {
                LOG.warn("background flush failed dir={}", data.root(), e);
            } else {
                LOG.debug("background flush failed again dir={} reason={}", data.root(),
                        e.toString());
            }
        }
    }

    private void stopFlusher() {
        flusher.shutdown();
        try {
            if (!flusher.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("flush thread still running at close dir={}", data.root());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeLog(SegmentLog log) {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("log not closed cleanly dir={}", data.root(), e);
        }
    }

    private Thread flushThread(Runnable task) {
        Thread thread = new Thread(task, "cartero-disk-flush");
        thread.setDaemon(true);
        return thread;
    }
}
