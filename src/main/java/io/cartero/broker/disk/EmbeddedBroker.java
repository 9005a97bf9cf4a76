package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import io.cartero.broker.memory.MemoryBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Opens the embedded broker: the in-process {@link MemoryBroker}, serving from memory, with
 * every change recorded in an append-only log on disk and read back when it opens again. Its
 * {@code describe()} is {@code embedded:<absolute directory>}.
 *
 * <p>What survives what: a publish, push or confirm is answered only once its record was
 * written to the file, so it survives {@code kill -9} of the process. Whether it also
 * survives a power loss depends on the {@link FsyncPolicy}. A torn or corrupt record at the
 * end of a log (a crash in the middle of a write) is set aside in a file beside it and
 * logged; everything before it is kept. A room keeps its epoch across restarts; a new or
 * wiped directory gives rooms new epochs, so resuming clients are told history was lost.
 */
public final class EmbeddedBroker {
    /** The data directory of {@code cartero server} unless told otherwise. */
    public static final String DEFAULT_DIRECTORY = "cartero-data";

    private EmbeddedBroker() {
    }

    /** The broker kept in {@code dir}, with default settings and {@link FsyncPolicy#INTERVAL}. */
    public static MemoryBroker open(Path dir) {
        return open(dir, MemoryBroker.Settings.defaults(), FsyncPolicy.INTERVAL);
    }

    /**
     * The broker kept in {@code dir}, created if needed, locked while the broker is open.
     *
     * @throws BrokerException naming the directory if it cannot be created, read or locked
     *     (another server has it open)
     */
    public static MemoryBroker open(Path dir, MemoryBroker.Settings settings, FsyncPolicy fsync) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(fsync, "fsync");
        DiskJournal journal = DiskJournal.open(dir, settings.retention(), fsync);
        try {
            return new MemoryBroker(settings, Clock.systemUTC(), journal);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }
}
