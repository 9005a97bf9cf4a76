package io.cartero.broker;

import io.cartero.message.ErrorCode;
import io.cartero.message.Kind;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import java.util.Objects;

/**
 * A request to store one message in a room. Validated on construction.
 *
 * @param room the room
 * @param sender who sends it (the caller vouches for it: the node stamps it from the session)
 * @param text the text; must be valid message text for chat and system messages
 * @param kind the kind of message
 * @param idempotencyKey if not null, a second publish with the same key in the same room
 *     within the broker's window returns the first message and stores nothing new
 */
public record Publish(String room, String sender, String text, Kind kind, String idempotencyKey) {
    /** The longest idempotency key, in characters. */
    public static final int MAX_KEY_LENGTH = 128;

    public Publish {
        Names.requireRoom(room);
        Names.requireUser(sender);
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CHAT || kind == Kind.SYSTEM) {
            Names.requireText(text);
        } else {
            Objects.requireNonNull(text, "text");
        }
        if (idempotencyKey != null
                && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "idempotency key must be 1-" + MAX_KEY_LENGTH + " characters");
        }
    }

    /** A chat message without idempotency key. */
    public static Publish chat(String room, String sender, String text) {
        return new Publish(room, sender, text, Kind.CHAT, null);
    }

    /** This request with an idempotency key. */
    public Publish withKey(String key) {
        return new Publish(room, sender, text, kind, key);
    }
}
