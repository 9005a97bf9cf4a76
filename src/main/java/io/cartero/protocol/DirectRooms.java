package io.cartero.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The names of direct conversations. A direct conversation between two users is a room that
 * the node names itself: {@code dm.} and the first 40 hex digits (lowercase) of the SHA-256 of
 * the two user names, sorted by code point and joined with U+0000. Every room whose name starts
 * with {@code dm.} is reserved for the node: a client never names one in {@code room}.
 */
public final class DirectRooms {
    /** The start of every room name reserved for the node. */
    public static final String PREFIX = "dm.";
    /** How many hex digits of the digest name a room. */
    private static final int DIGITS = 40;
    /** Orders strings by Unicode code point (not by UTF-16 unit, as String.compareTo). */
    public static final Comparator<String> BY_CODE_POINT = DirectRooms::compareCodePoints;

    private DirectRooms() {
    }

    /** The room of the conversation between {@code one} and {@code other}, in either order. */
    public static String room(String one, String other) {
        List<String> pair = between(one, other);
        return PREFIX + digest(pair.get(0) + '\0' + pair.get(1));
    }

    /** The two users, sorted by code point. */
    public static List<String> between(String one, String other) {
        Objects.requireNonNull(one, "one");
        Objects.requireNonNull(other, "other");
        return BY_CODE_POINT.compare(one, other) <= 0 ? List.of(one, other)
                : List.of(other, one);
    }

    /** Whether {@code room} is reserved for the node: a client may not name it. */
    public static boolean isReserved(String room) {
        return room != null && room.startsWith(PREFIX);
    }

    /** The first 40 hex digits of the SHA-256 of {@code text} in UTF-8. */
    public static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
