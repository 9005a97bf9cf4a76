package io.cartero.message;

import java.util.Locale;

/** What a message in a room is: something a person said, or an event about the room. */
public enum Kind {
    CHAT,
    JOIN,
    LEAVE,
    SYSTEM;

    /** The lowercase name used on the wire and in JSON output. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code name} on the wire, or a {@link ValidationException}. */
    public static Kind fromWireName(String name) {
        for (Kind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new ValidationException(ErrorCode.INVALID_KIND, "unknown message kind: " + name);
    }
}
