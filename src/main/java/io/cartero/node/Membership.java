package io.cartero.node;

import io.cartero.broker.Presence;
import io.cartero.broker.SignalSubscription;
import io.cartero.broker.Subscription;
import java.util.concurrent.CompletableFuture;

/**
 * One room joined on one connection: its feed, its subscription, its signals and, for a named
 * session, its presence. They may still be on their way; {@link #end} undoes whatever of them
 * happens.
 */
final class Membership {
    private final String room;
    private final String user;
    private final RoomFeed feed;
    private final CompletableFuture<Subscription> subscription;
    private final CompletableFuture<SignalSubscription> signals;
    private final CompletableFuture<Boolean> presence;

    /**
     * @param user the session's name, {@code null} for an anonymous session
     * @param presence completes when the user is recorded as a member (at once if anonymous)
     */
    Membership(String room, String user, RoomFeed feed,
            CompletableFuture<Subscription> subscription,
            CompletableFuture<SignalSubscription> signals, CompletableFuture<Boolean> presence) {
        this.room = room;
        this.user = user;
        this.feed = feed;
        this.subscription = subscription;
        this.signals = signals;
        this.presence = presence;
    }

    /** The room's delivery to the connection. */
    RoomFeed feed() {
        return feed;
    }

    /**
     * Stops delivery, closes the subscription once it exists and, if the user became a member,
     * removes it from the room (which publishes a {@code leave} message).
     *
     * @return completes when done; fails only if the broker could not record the leave
     */
    CompletableFuture<Void> end(Presence presencePort) {
        feed.close();
        subscription.thenAccept(Subscription::close);
        signals.thenAccept(SignalSubscription::close);
        return presence
                .handle((joined, failure) -> failure == null && user != null)
                .thenCompose(member -> member
                        ? presencePort.leave(room, user).thenApply(left -> (Void) null)
                        : CompletableFuture.<Void>completedFuture(null));
    }
}
