package io.cartero.message;

import java.util.Objects;

/**
 * One message in a work queue: it goes to exactly one consumer.
 *
 * @param queue the queue's name (same rules as a room name)
 * @param sender who pushed it
 * @param text what it says
 * @param sentAt when it was pushed, in milliseconds since the Unix epoch
 */
public record QueueMessage(String queue, String sender, String text, long sentAt) {

    public QueueMessage {
        Names.requireRoom(queue);
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
    }
}
