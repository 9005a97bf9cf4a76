package io.cartero.broker;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The presence port: who is in each room. Joining and leaving are also published to the room
 * as messages of kind {@code join} and {@code leave}, so that history shows them.
 *
 * <p>Every method is thread-safe. Futures fail with
 * {@link io.cartero.message.ValidationException} for bad input and {@link BrokerException} when
 * the broker cannot answer.
 */
public interface Presence {

    /**
     * Records {@code user} as a member of {@code room} and publishes a join message. Joining a
     * room one is already in publishes nothing.
     *
     * @return {@code true} if the user became a member, {@code false} if it already was one
     */
    CompletableFuture<Boolean> join(String room, String user);

    /**
     * Removes {@code user} from {@code room} and publishes a leave message. Leaving a room one
     * is not in publishes nothing.
     *
     * @return {@code true} if the user was a member, {@code false} otherwise
     */
    CompletableFuture<Boolean> leave(String room, String user);

    /** The members of {@code room} now. */
    CompletableFuture<Set<String>> members(String room);
}
