package io.cartero.bench;

import java.nio.charset.StandardCharsets;

/**
 * The text of a bench message: {@code b<publisher>.<sequence>.<stamp>} and a space, padded
 * with {@code x} to the payload size. The stamp is when the message was meant to be sent, in
 * nanoseconds since the run began, so the receiver measures the latency on the same clock.
 * Writing and reading work on bytes, without allocating. Stateless.
 */
final class Stamps {
    /** Where the text starts in a {@code message} frame of the protocol. */
    private static final byte[] TEXT_FIELD = "\"text\":\"b".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DIGITS = 20;

    private Stamps() {
    }

    /**
     * Writes the text of message {@code sequence} of {@code publisher} at {@code at}, padded
     * to {@code payload} characters.
     *
     * @return the position after the text
     */
    static int write(byte[] out, int at, int publisher, long sequence, long stamp, int payload) {
        int start = at;
        int i = at;
        out[i++] = 'b';
        i = writeDigits(out, i, publisher);
        out[i++] = '.';
        i = writeDigits(out, i, sequence);
        out[i++] = '.';
        i = writeDigits(out, i, stamp);
        out[i++] = ' ';
        while (i - start < payload) {
            out[i++] = 'x';
        }
        return i;
    }

    /** The text of a message, for brokers used directly. */
    static String text(int publisher, long sequence, long stamp, int payload) {
        byte[] out = new byte[Math.max(payload, 3 * MAX_DIGITS + 4)];
        int end = write(out, 0, publisher, sequence, stamp, payload);
        return new String(out, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the decimal digits of {@code value} (0 or more) at {@code at}.
     *
     * @return the position after them
     */
    static int writeDigits(byte[] out, int at, long value) {
        if (value == 0) {
            out[at] = '0';
            return at + 1;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        long v = value;
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    /**
     * Reads a bench text from a {@code message} frame in {@code frame[from, to)} into
     * {@code into}.
     *
     * @return {@code false} if the frame holds no bench text
     */
    static boolean readFrame(byte[] frame, int from, int to, Parsed into) {
        int at = indexOf(frame, from, to, TEXT_FIELD);
        return at >= 0 && read(frame, at + TEXT_FIELD.length, to, into);
    }

    /** Reads a bench text from {@code text}; {@code false} if it is not one. */
    static boolean readText(String text, Parsed into) {
        if (text.isEmpty() || text.charAt(0) != 'b') {
            return false;
        }
        int length = Math.min(text.length(), 3 * MAX_DIGITS + 4);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            bytes[i] = c < 0x80 ? (byte) c : (byte) '?';
        }
        return read(bytes, 1, length, into);
    }

    /** Reads {@code publisher.sequence.stamp} followed by a space or a quote. */
    private static boolean read(byte[] bytes, int from, int to, Parsed into) {
        int i = from;
        long publisher = 0;
        int start = i;
        while (i < to && isDigit(bytes[i])) {
            publisher = publisher * 10 + (bytes[i++] - '0');
        }
        if (i == start || i >= to || bytes[i++] != '.' || i - start > MAX_DIGITS) {
            return false;
        }
        long sequence = 0;
        start = i;
        while (i < to && isDigit(bytes[i])) {
            sequence = sequence * 10 + (bytes[i++] - '0');
        }
        if (i == start || i >= to || bytes[i++] != '.' || i - start > MAX_DIGITS) {
            return false;
        }
        long stamp = 0;
        start = i;
        while (i < to && isDigit(bytes[i])) {
            stamp = stamp * 10 + (bytes[i++] - '0');
        }
        if (i == start || i - start > MAX_DIGITS - 1 || publisher > Integer.MAX_VALUE) {
            return false;
        }
        into.publisher = (int) publisher;
        into.sequence = sequence;
        into.stamp = stamp;
        return true;
    }

    /** Where {@code needle} starts in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (bytes[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The fields of one bench text; reused by its reader to allocate nothing. */
    static final class Parsed {
        int publisher;
        long sequence;
        long stamp;
    }
}
