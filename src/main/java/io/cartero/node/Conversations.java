package io.cartero.node;

import io.cartero.broker.Publish;
import io.cartero.broker.Rooms;
import io.cartero.message.Kind;
import io.cartero.message.Message;
import io.cartero.protocol.DirectRooms;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Each user's list of direct conversations, kept in the broker so that every node sharing it
 * sees the same list and it outlives the node: a reserved room per user ({@code dm.u.} and the
 * first 40 hex digits of the SHA-256 of the name) that only nodes write. Each entry is a
 * {@code system} message whose text is the other user's name, appended when a conversation
 * becomes the user's most recent one; the list's newest entries, without repeats, are the
 * user's most recent conversations. Thread-safe.
 */
final class Conversations {
    /** The start of every user's list room. */
    static final String LIST_PREFIX = DirectRooms.PREFIX + "u.";
    /** How many of a list's newest entries are read for the conversations sent on hello. */
    static final int SCAN = 500;
    /** The most conversations sent after a welcome. */
    static final int MOST_RECENT = 50;

    private final Rooms rooms;

    Conversations(Rooms rooms) {
        this.rooms = rooms;
    }

    /** The room that holds {@code user}'s list of conversations. */
    static String listRoom(String user) {
        return LIST_PREFIX + DirectRooms.digest(user);
    }

    /**
     * Makes the conversation between {@code sender} and {@code receiver} the most recent of
     * both, unless it is already.
     *
     * @return completes when both lists have it on top
     */
    CompletableFuture<Void> touch(String sender, String receiver) {
        return CompletableFuture.allOf(
                putOnTop(listRoom(sender), receiver, sender),
                putOnTop(listRoom(receiver), sender, sender));
    }

    /**
     * Appends {@code other} to a list unless it is the list's newest entry already. Two nodes
     * doing so at once may both append it: a repeat is harmless, readers skip it.
     */
    private CompletableFuture<Void> putOnTop(String list, String other, String sender) {
        return rooms.history(list, Long.MAX_VALUE, 1).thenCompose(newest -> isOnTop(newest, other)
                ? CompletableFuture.completedFuture(null)
                : rooms.publish(new Publish(list, sender, other, Kind.SYSTEM, null))
                        .thenApply(stored -> null));
    }

    private static boolean isOnTop(List<Message> newest, String other) {
        return !newest.isEmpty() && newest.get(newest.size() - 1).text().equals(other);
    }
}
