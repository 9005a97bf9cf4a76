package io.cartero.broker;

import io.cartero.message.ErrorCode;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;

/**
 * An ephemeral signal about a room, such as "ana is typing": delivered to whoever listens at
 * that moment, never stored. Validated on construction.
 *
 * @param room the room it is about
 * @param sender who caused it (the caller vouches for it, as for {@link Publish})
 * @param kind what it says: 1-32 characters from {@code a-z} and {@code _}, such as
 *     {@value #TYPING}
 */
public record Signal(String room, String sender, String kind) {
    /** The kind of a signal that says its sender is typing in the room. */
    public static final String TYPING = "typing";
    private static final int MAX_KIND_LENGTH = 32;

    public Signal {
        Names.requireRoom(room);
        Names.requireUser(sender);
        if (kind == null || kind.isEmpty() || kind.length() > MAX_KIND_LENGTH
                || !kind.chars().allMatch(c -> (c >= 'a' && c <= 'z') || c == '_')) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "signal kind must be 1-" + MAX_KIND_LENGTH + " characters of a-z and _: "
                            + kind);
        }
    }

    /** A signal that {@code sender} is typing in {@code room}. */
    public static Signal typing(String room, String sender) {
        return new Signal(room, sender, TYPING);
    }
}
