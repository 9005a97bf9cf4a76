package io.cartero.broker.redis;

import io.cartero.broker.Presence;
import io.cartero.broker.Publish;
import io.cartero.message.Kind;
import io.cartero.message.Names;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across nodes: each room's members are a sorted set scored by when each entry
 * expires (Redis's clock). The node that joined a user refreshes the entry while the user is
 * there; a node that dies stops refreshing, and its users drop out once the time to live
 * passes (30 s by default). A refresh only extends an entry that is still there, so a member
 * removed by any node never comes back as a ghost; a node that stalls longer than the time to
 * live loses its members until they join again. Join and leave messages go through the same
 * publish script as chat. Thread-safe.
 */
final class RedisPresence implements Presence {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);

    private final RedisBroker.Settings settings;
    private final Keys keys;
    private final Gate gate;
    private final RedisAsyncCommands<String, String> redis;
    private final RedisRooms rooms;
    /** The members this node joined and keeps alive. */
    private final Set<Member> held = ConcurrentHashMap.newKeySet();

    RedisPresence(RedisBroker.Settings settings, Gate gate,
            RedisAsyncCommands<String, String> redis, RedisRooms rooms) {
        this.settings = settings;
        this.keys = new Keys(settings.prefix());
        this.gate = gate;
        this.redis = redis;
        this.rooms = rooms;
    }

    @Override
    public CompletableFuture<Boolean> join(String room, String user) {
        return gate.call(() -> {
            Names.requireRoom(room);
            Names.requireUser(user);
            return this.<Long>run("join", room, user, ScriptOutputType.INTEGER)
                    .thenCompose(added -> {
                        held.add(new Member(room, user));
                        return announce(added == 1, room, user, Kind.JOIN);
                    });
        });
    }

    @Override
    public CompletableFuture<Boolean> leave(String room, String user) {
        return gate.call(() -> {
            Names.requireRoom(room);
            Names.requireUser(user);
            held.remove(new Member(room, user));
            return this.<Long>run("leave", room, user, ScriptOutputType.INTEGER)
                    .thenCompose(removed -> announce(removed == 1, room, user, Kind.LEAVE));
        });
    }

    @Override
    public CompletableFuture<Set<String>> members(String room) {
        return gate.call(() -> {
            Names.requireRoom(room);
            return this.<List<String>>run("members", room, "", ScriptOutputType.MULTI)
                    .thenApply(names -> (Set<String>) new TreeSet<>(names));
        });
    }

    /** Pushes back the expiry of every member this node holds. */
    void refresh() {
        for (Member member : held) {
            this.<Long>run("refresh", member.room(), member.user(), ScriptOutputType.INTEGER)
                    .whenComplete((added, failure) -> {
                        if (failure != null) {
                            LOG.debug("presence refresh failed room={} user={}", member.room(),
                                    member.user(), failure);
                        }
                    });
        }
    }

    private CompletableFuture<Boolean> announce(boolean changed, String room, String user,
            Kind kind) {
        if (!changed) {
            return CompletableFuture.completedFuture(false);
        }
        LOG.debug("presence {} room={} user={}", kind.wireName(), room, user);
        return rooms.publish(new Publish(room, user, "", kind, null)).thenApply(stored -> true);
    }

    private <T> CompletableFuture<T> run(String op, String room, String user,
            ScriptOutputType type) {
        return Scripts.PRESENCE.run(redis, type,
                new String[] {keys.presence(room), keys.rooms()}, op, user,
                Long.toString(settings.presenceTtl().toMillis()), room);
    }

    /** A user in a room, as joined through this node. */
    private record Member(String room, String user) {
    }
}
