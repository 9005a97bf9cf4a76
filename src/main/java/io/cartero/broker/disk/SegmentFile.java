package io.cartero.broker.disk;

import io.cartero.broker.BrokerException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The format of one segment file, and reading it back. A segment is a header followed by
 * records:
 *
 * <pre>
 * header: magic "CRTL" | version (1 byte) | type (1 byte) | name | epoch | base (8 bytes)
 *         | CRC32C of all the header's bytes before it (4 bytes)
 * record: payload length (4 bytes) | CRC32C of the payload (4 bytes) | payload
 * </pre>
 *
 * Strings are a 2-byte length and UTF-8; numbers are big-endian. Reading stops at the first
 * record that is cut short or whose checksum does not match: the bytes from there to the end
 * are copied into {@code <segment>.corrupt-<time>} beside it and the segment is truncated, so
 * that appends go on after the last good record. Stateless; the files it works on must not be
 * written by anyone else meanwhile.
 */
final class SegmentFile {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentFile.class);
    private static final int MAGIC = 0x4352544c;
    /** The format version this code writes and reads. */
    static final int VERSION = 1;
    /** The largest payload of a record, in bytes. */
    static final int MAX_PAYLOAD = 1 << 20;
    static final int FRAME_BYTES = 2 * Integer.BYTES;
    static final String SUFFIX = ".log";
    private static final DateTimeFormatter ASIDE_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'");

    private SegmentFile() {
    }

    /**
     * What a segment says of itself.
     *
     * @param type what the segment holds: a room's messages or a queue's changes
     * @param name the room or queue
     * @param epoch the room's epoch; empty for a queue
     * @param base a room segment's first offset, or a queue segment's sequence number
     */
    record Header(int type, String name, String epoch, long base) {
    }

    /**
     * A record read back.
     *
     * @param position where its frame starts in the file
     * @param payload its payload
     */
    record Record(long position, ByteBuffer payload) {
    }

    /** A segment read back: its header and its good records; {@code end} is its new size. */
    record Scan(Header header, List<Record> records, long end) {
    }

    /** The path of the segment with {@code base} in {@code dir}: the base, zero-padded. */
    static Path path(Path dir, long base) {
        return dir.resolve(String.format("%020d", base) + SUFFIX);
    }

    /** The segments in {@code dir}, oldest first. */
    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .sorted().toList();
        }
    }

    /** The bytes of {@code header}. */
    static byte[] header(Header header) {
        byte[] name = header.name().getBytes(StandardCharsets.UTF_8);
        byte[] epoch = header.epoch().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + 2 + 2 + name.length + 2 + epoch.length
                + Long.BYTES + Integer.BYTES);
        buffer.putInt(MAGIC).put((byte) VERSION).put((byte) header.type());
        buffer.putShort((short) name.length).put(name);
        buffer.putShort((short) epoch.length).put(epoch);
        buffer.putLong(header.base());
        buffer.putInt(crc(buffer.array(), 0, buffer.position()));
        return buffer.array();
    }

    /** The bytes of one record holding {@code payload}. */
    static byte[] frame(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("record too large: " + payload.length);
        }
        return ByteBuffer.allocate(FRAME_BYTES + payload.length).putInt(payload.length)
                .putInt(crc(payload, 0, payload.length)).put(payload).array();
    }

    /**
     * Reads the segment {@code file}, which must hold records of {@code type} for
     * {@code name}. A torn or corrupt tail is set aside; a file too short to hold its own
     * header (a crash while creating it) is set aside whole, and the result is null.
     *
     * @throws BrokerException if the header is complete but wrong: another format, another
     *     version, or damaged
     */
    static Scan read(Path file, int type, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        Header header;
        try {
            header = readHeader(buffer, file);
        } catch (BufferUnderflowException e) {
            setAside(file, 0, "torn header");
            Files.delete(file);
            return null;
        }
        if (header.type() != type || !header.name().equals(name)) {
            throw corrupt(file, "it belongs to " + header.name() + " (type " + header.type()
                    + ")");
        }
        List<Record> records = new ArrayList<>();
        int position = buffer.position();
        while (position < bytes.length) {
            ByteBuffer payload = payloadAt(bytes, position);
            if (payload == null) {
                setAside(file, position, "torn or corrupt record");
                return new Scan(header, records, position);
            }
            records.add(new Record(position, payload));
            position += FRAME_BYTES + payload.remaining();
        }
        return new Scan(header, records, position);
    }

    /** Sets aside the bytes of {@code file} from {@code position} to its end, and cuts it there. */
    static void setAside(Path file, long position, String why) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String time = ZonedDateTime.now(ZoneOffset.UTC).format(ASIDE_TIME);
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + time);
        Files.write(aside, Arrays.copyOfRange(bytes, (int) position, bytes.length),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(position);
            channel.force(true);
        }
        LOG.warn("set aside {} file={} offset={} bytes={} aside={}", why, file, position,
                bytes.length - position, aside.getFileName());
    }

    private static Header readHeader(ByteBuffer buffer, Path file) {
        int magic = buffer.getInt();
        if (magic != MAGIC) {
            throw corrupt(file, "it is not a Cartero log (bad magic number)");
        }
        int version = buffer.get() & 0xff;
        if (version != VERSION) {
            throw corrupt(file, "its format version is " + version + ", this Cartero reads "
                    + VERSION);
        }
        int type = buffer.get() & 0xff;
        String name = readShortString(buffer);
        String epoch = readShortString(buffer);
        long base = buffer.getLong();
        int expected = crc(buffer.array(), 0, buffer.position());
        if (buffer.getInt() != expected) {
            throw corrupt(file, "its header is damaged (checksum mismatch)");
        }
        return new Header(type, name, epoch, base);
    }

    private static String readShortString(ByteBuffer buffer) {
        int length = buffer.getShort() & 0xffff;
        byte[] utf8 = new byte[length];
        buffer.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The payload of the record framed at {@code position}, or null if it is not whole. */
    private static ByteBuffer payloadAt(byte[] bytes, int position) {
        if (bytes.length - position < FRAME_BYTES) {
            return null;
        }
        ByteBuffer frame = ByteBuffer.wrap(bytes, position, FRAME_BYTES);
        int length = frame.getInt();
        int checksum = frame.getInt();
        int start = position + FRAME_BYTES;
        if (length < 0 || length > MAX_PAYLOAD || length > bytes.length - start) {
            return null;
        }
        if (crc(bytes, start, length) != checksum) {
            return null;
        }
        return ByteBuffer.wrap(bytes, start, length).slice();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static BrokerException corrupt(Path file, String why) {
        return new BrokerException("cannot read " + file + ": " + why
                + "; move the file away or use another data directory");
    }
}
