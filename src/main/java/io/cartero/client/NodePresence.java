package io.cartero.client;

import io.cartero.broker.BrokerException;
import io.cartero.broker.Position;
import io.cartero.broker.Presence;
import io.cartero.broker.RoomListener;
import io.cartero.message.ErrorCode;
import io.cartero.message.Message;
import io.cartero.message.Names;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The presence port over a node connection. On a node, a named session is a member of exactly
 * the rooms it has joined, so joining means subscribing (with a listener that ignores the
 * messages) and leaving means ending that subscription. {@code who} answers for members.
 */
final class NodePresence implements Presence {
    /** The listener of a subscription made only to be a member. */
    private static final RoomListener MEMBERSHIP_ONLY = (Message message) -> { };

    private final NodeRooms rooms;
    private final RoomSubscriptions subscriptions;
    private final NodeLink link;
    private final String name;

    NodePresence(NodeRooms rooms, RoomSubscriptions subscriptions, NodeLink link, String name) {
        this.rooms = rooms;
        this.subscriptions = subscriptions;
        this.link = link;
        this.name = name;
    }

    @Override
    public CompletableFuture<Boolean> join(String room, String user) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(user, "user");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(room);
            ClientChecks.requireSelf(name, user, "join a room");
            link.connection().requireOpen();
            if (subscriptions.get(room) != null) {
                return CompletableFuture.completedFuture(false);
            }
            return rooms.subscribe(room, Position.now(), MEMBERSHIP_ONLY)
                    .handle((subscription, error) -> {
                        if (error == null) {
                            return true;
                        }
                        if (error instanceof ValidationException refused
                                && refused.code() == ErrorCode.ALREADY_JOINED) {
                            return false;
                        }
                        throw error instanceof RuntimeException failure ? failure
                                : new BrokerException("cannot join " + room, error);
                    });
        });
    }

    @Override
    public CompletableFuture<Boolean> leave(String room, String user) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(user, "user");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(room);
            ClientChecks.requireSelf(name, user, "leave a room");
            link.connection().requireOpen();
            RoomSubscription subscription = subscriptions.get(room);
            if (subscription == null) {
                return CompletableFuture.completedFuture(false);
            }
            return subscription.leave();
        });
    }

    @Override
    public CompletableFuture<Set<String>> members(String room) {
        Objects.requireNonNull(room, "room");
        return ClientChecks.attempt(() -> {
            Names.requireRoom(room);
            return link.callRepeatable(id -> new Frame.Who(id, room), Frame.Members.class,
                    NodePresence::namesOf);
        });
    }

    private static Set<String> namesOf(Frame.Members members) {
        if (members.members() == null) {
            return Set.of();
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(members.members()));
    }
}
