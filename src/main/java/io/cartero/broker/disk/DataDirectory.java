package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory where an embedded broker keeps its data, locked so that one process at a
 * time uses it:
 *
 * <pre>
 * DIR/lock                   held while a broker has the directory open
 * DIR/rooms/NAME/BASE.log    a room's segments, BASE its first offset
 * DIR/queues/NAME/BASE.log   a queue's segments, BASE a sequence number
 * </pre>
 *
 * Names keep their characters except {@code .}, written {@code %2E} so that no name can mean
 * a directory of its own ({@code ..}). Thread-safe: immutable once open.
 */
final class DataDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    /**
     * Directories locked by this process. Checked before opening the lock file, because on
     * some systems closing any channel on a file drops every lock the process holds on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates {@code root} if needed and locks it.
     *
     * @throws BrokerException naming the directory if it cannot be created or used, or if
     *     another process holds it
     */
    static DataDirectory open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.resolve("rooms"));
            Files.createDirectories(absolute.resolve("queues"));
        } catch (IOException e) {
            throw new BrokerException("cannot use the data directory " + absolute + ": "
                    + describe(e), e);
        }
        return new DataDirectory(absolute, null, null).locked();
    }

    Path root() {
        return root;
    }

    Path rooms() {
        return root.resolve("rooms");
    }

    Path queues() {
        return root.resolve("queues");
    }

    /** The file name that stands for the room or queue {@code name}. */
    static String fileName(String name) {
        return name.replace(".", "%2E");
    }

    /** The room or queue that {@code fileName} stands for, or null if it stands for none. */
    static String nameOf(String fileName) {
        String name = fileName.replace("%2E", ".");
        try {
            return Names.requireRoom(name);
        } catch (ValidationException e) {
            return null;
        }
    }

    /** Forces a directory's entries to the device, where the platform allows it. */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("directory not forced dir={} reason={}", dir, e.toString());
        }
    }

    /** Throws if the lock was lost. */
    void check() {
        if (lock == null || !lock.isValid()) {
            throw new BrokerException("the data directory " + root + " is no longer locked");
        }
    }

    @Override
    public void close() {
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("lock not released dir={}", root, e);
        } finally {
            HELD.remove(root);
        }
    }

    private DataDirectory locked() {
        if (!HELD.add(root)) {
            throw inUse(null);
        }
        try {
            return lockFile();
        } catch (BrokerException e) {
            HELD.remove(root);
            throw e;
        }
    }

    private DataDirectory lockFile() {
        Path lockFile = root.resolve("lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                throw inUse(channel);
            }
            return new DataDirectory(root, channel, held);
        } catch (OverlappingFileLockException e) {
            throw inUse(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new BrokerException("cannot lock the data directory " + root + ": "
                    + describe(e), e);
        }
    }

    private BrokerException inUse(FileChannel channel) {
        closeQuietly(channel);
        return new DirectoryInUseException(root);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("lock file not closed reason={}", e.toString());
        }
    }

    private static String describe(IOException e) {
        String reason = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + reason;
    }
}
