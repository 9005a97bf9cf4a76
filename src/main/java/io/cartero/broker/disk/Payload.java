package io.cartero.broker.disk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes and reads the fields of a record: big-endian numbers and strings as a 4-byte length
 * followed by UTF-8. A reader throws {@link IllegalArgumentException} (or
 * {@link java.nio.BufferUnderflowException}) on anything that does not parse, which the
 * caller treats as a corrupt record. Not thread-safe.
 */
final class Payload {
    /** The longest string a record may hold, in bytes. */
    static final int MAX_STRING_BYTES = 64 * 1024;

    private Payload() {
    }

    /** Builds one payload. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES);

        Out writeByte(int value) {
            bytes.write(value);
            return this;
        }

        Out writeInt(int value) {
            scratch.clear();
            bytes.write(scratch.putInt(value).array(), 0, Integer.BYTES);
            return this;
        }

        Out writeLong(long value) {
            scratch.clear();
            bytes.write(scratch.putLong(value).array(), 0, Long.BYTES);
            return this;
        }

        Out writeString(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            bytes.write(utf8, 0, utf8.length);
            return this;
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }
    }

    /** Reads one payload. */
    static final class In {
        private final ByteBuffer buffer;

        In(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        int readByte() {
            return buffer.get() & 0xff;
        }

        int readInt() {
            return buffer.getInt();
        }

        long readLong() {
            return buffer.getLong();
        }

        String readString() {
            int length = buffer.getInt();
            if (length < 0 || length > MAX_STRING_BYTES || length > buffer.remaining()) {
                throw new IllegalArgumentException("bad string length " + length);
            }
            byte[] utf8 = new byte[length];
            buffer.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        /** Throws unless every byte was read. */
        void requireEnd() {
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException(buffer.remaining() + " bytes left over");
            }
        }
    }
}
