package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import io.cartero.broker.memory.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records to the newest segment of one room or queue, and flushes them. Each append
 * is one {@code write} to the file, with no buffer in this process, so a record that was
 * appended survives the death of the process. Flushing is a group commit: whoever asks for a
 * flush forces everything written so far, so concurrent writers share one {@code fsync}.
 *
 * <p>Thread-safe: appends and segment changes run under this object's monitor; flushes run
 * under {@link #flushLock} without holding the monitor, so appends go on during a flush.
 */
final class SegmentLog {
    private final Path dir;
    private final FsyncPolicy policy;
    /** Held while forcing; never taken while holding this object's monitor. */
    private final Object flushLock = new Object();
    /** The newest segment, open for appending; null before the first one. Guarded by this. */
    private FileChannel channel;
    /** The file of {@link #channel}. Guarded by this. */
    private Path file;
    /** Records in the newest segment. Guarded by this. */
    private int records;
    /** Bytes appended through this log since it opened. Guarded by this. */
    private long written;
    /** Bytes of {@link #written} known to be on the device. */
    private volatile long flushed;
    /** Why the log can no longer append, or null. */
    private volatile BrokerException broken;
    /** Set by {@link #close()}; nothing is written after it. Guarded by this. */
    private boolean closed;

    SegmentLog(Path dir, FsyncPolicy policy) {
        this.dir = dir;
        this.policy = policy;
    }

    /** Goes on appending to the existing segment {@code file}, which holds {@code count}. */
    synchronized void continueWith(Path segment, int count) throws IOException {
        switchTo(segment, openForAppend(segment), count);
    }

    /** Starts a new segment with {@code header}; the previous one is flushed and closed. */
    synchronized void start(SegmentFile.Header header) {
        requireOpen();
        Path segment = SegmentFile.path(dir, header.base());
        try {
            FileChannel created = FileChannel.open(segment, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            writeFully(created, SegmentFile.header(header));
            switchTo(segment, created, 0);
            if (policy == FsyncPolicy.ALWAYS) {
                created.force(true);
                DataDirectory.forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new BrokerException("cannot create " + segment + ": " + e.getMessage(), e);
        }
    }

    /** Whether a segment is open for appending. */
    synchronized boolean hasSegment() {
        return channel != null;
    }

    /** Records in the newest segment. */
    synchronized int records() {
        return records;
    }

    /**
     * Appends one record holding {@code payload} and returns how to make it durable. If the
     * write fails, the segment is cut back to where it was, so no partial record stays.
     */
    synchronized Journal.Commit append(byte[] payload) {
        requireOpen();
        if (channel == null) {
            throw new IllegalStateException("no segment started in " + dir);
        }
        byte[] frame = SegmentFile.frame(payload);
        long before;
        try {
            before = channel.size();
        } catch (IOException e) {
            throw fail("cannot append to " + dir, e);
        }
        try {
            writeFully(channel, frame);
        } catch (ClosedByInterruptException e) {
            // An interrupt closes the channel for every thread: reopen it for the others.
            reopen();
            cutBack(before);
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while appending to " + dir, e);
        } catch (IOException e) {
            cutBack(before);
            throw new BrokerException("cannot append to " + dir + ": " + e.getMessage(), e);
        }
        records++;
        written += frame.length;
        long upTo = written;
        return policy == FsyncPolicy.ALWAYS ? () -> flush(upTo) : Journal.Commit.DONE;
    }

    /** Forces everything written so far to the device. */
    void flush() {
        long upTo;
        synchronized (this) {
            upTo = written;
        }
        flush(upTo);
    }

    /** Throws if the log can no longer append. */
    void check() {
        BrokerException cause = broken;
        if (cause != null) {
            throw cause;
        }
    }

    /** Flushes and closes the newest segment. */
    synchronized void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.force(true);
            channel.close();
            channel = null;
        }
    }

    private void flush(long upTo) {
        if (flushed >= upTo) {
            return;
        }
        synchronized (flushLock) {
            if (flushed >= upTo) {
                return;
            }
            FileChannel target;
            long targetWritten;
            synchronized (this) {
                target = channel;
                targetWritten = written;
            }
            if (target != null) {
                force(target, targetWritten);
            }
        }
    }

    private void force(FileChannel target, long upTo) {
        try {
            target.force(false);
            flushed = Math.max(flushed, upTo);
        } catch (ClosedByInterruptException e) {
            synchronized (this) {
                reopen();
            }
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while flushing " + dir, e);
        } catch (ClosedChannelException e) {
            // The segment was switched meanwhile; switching forced it, and moved the mark.
            if (flushed < upTo) {
                throw new BrokerException("cannot flush " + dir + ": segment closed", e);
            }
        } catch (IOException e) {
            throw fail("cannot flush " + dir, e);
        }
    }

    /** Makes {@code next}, open on {@code segment}, the newest segment. Holds the monitor. */
    private void switchTo(Path segment, FileChannel next, int count) throws IOException {
        FileChannel previous = channel;
        if (previous != null) {
            previous.force(true);
            previous.close();
            flushed = written;
        }
        channel = next;
        file = segment;
        records = count;
    }

    private void reopen() {
        try {
            channel = openForAppend(file);
        } catch (IOException e) {
            fail("cannot reopen " + file, e);
        }
    }

    private static FileChannel openForAppend(Path segment) throws IOException {
        return FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Throws unless the log can append: open, not broken, with a segment if asked. */
    private void requireOpen() {
        check();
        if (closed) {
            throw new BrokerException("the log in " + dir + " is closed");
        }
    }

    private void cutBack(long size) {
        try {
            channel.truncate(size);
        } catch (IOException e) {
            fail("cannot cut back a failed append in " + dir, e);
        }
    }

    private BrokerException fail(String what, IOException cause) {
        BrokerException failure = new BrokerException(what + ": " + cause.getMessage(), cause);
        broken = failure;
        return failure;
    }

    private static void writeFully(FileChannel target, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            target.write(buffer);
        }
    }
}
