package io.cartero.message;

import java.util.Objects;

/**
 * One message stored in a room. Immutable.
 *
 * @param room the room's name
 * @param offset the message's position in the room: 1 for the first, with no gaps
 * @param epoch the room's epoch: it changes whenever the room's history is lost, so an offset
 *     is only meaningful together with its epoch
 * @param sender the user who sent it, stamped by the broker's caller, never by the client
 * @param text the text; for join and leave, empty
 * @param sentAt when the broker stored it, in milliseconds since the Unix epoch
 * @param kind chat, join, leave or system
 */
public record Message(
        String room, long offset, String epoch, String sender, String text, long sentAt,
        Kind kind) {

    public Message {
        Names.requireRoom(room);
        if (offset < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "offset must be 1 or more: " + offset);
        }
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }
}
