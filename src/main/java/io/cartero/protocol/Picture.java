package io.cartero.protocol;

import java.util.List;

/**
 * The parts of a {@code view} frame (the broker view of {@code docs/protocol.md}): what a node
 * knows of its broker, the connections that produce and consume through it, and the traffic
 * between them. Endpoints of an {@link Edge} are written {@code conn:ID}, {@code room:NAME} and
 * {@code queue:NAME}.
 */
public final class Picture {

    private Picture() {
    }

    /**
     * A node. A node knows only itself: on a shared Redis, each node's view shows its own
     * connections and the broker's shared figures.
     *
     * @param cut whether the operator cut this node off the broker
     * @param deliveriesWaiting room deliveries held in the node while it is cut off, one per
     *     message and connection
     */
    public record NodeBox(String id, boolean self, int connections, boolean cut,
            long deliveriesWaiting) {
    }

    /**
     * The broker behind the node.
     *
     * @param kind {@code embedded}, {@code memory} or {@code redis}
     * @param address where it is (a folder or a URL), never with a password
     * @param reachable whether it answered the node's last question in time
     */
    public record BrokerBox(String kind, String address, boolean reachable) {
    }

    /**
     * One connection of this node that produces or consumes.
     *
     * @param roles {@code producer} (it has sent or pushed) and {@code consumer} (it joined a
     *     room or asked a queue for a message)
     * @param paused whether the operator paused its queue deliveries
     */
    public record Client(String id, String name, List<String> roles, List<String> rooms,
            List<String> queues, boolean paused) {
    }

    /**
     * A room: {@code lastOffset} is its history length in the current epoch; {@code members}
     * are the connections of this node that joined it.
     */
    public record RoomBox(String name, String epoch, long lastOffset, int people,
            List<String> members) {
    }

    /** A queue: messages waiting, and the connections of this node that consume from it. */
    public record QueueBox(String name, long depth, List<String> consumers) {
    }

    /**
     * Messages that went from {@code from} to {@code to} through this node: {@code total} since
     * the connection opened, {@code rate} per second over the last update.
     */
    public record Edge(String from, String to, long total, double rate) {
    }

    /**
     * A recent message of a room, for the animation and to follow it: a sample, at most a few
     * per second and room.
     *
     * @param from the connection that sent it, {@code null} if it came from elsewhere
     */
    public record Flow(String room, String epoch, long offset, String sender, String from,
            long at) {
    }

    /**
     * One step of a message's journey.
     *
     * @param hop {@code client_sent}, {@code node_accepted}, {@code broker_stored} or
     *     {@code delivered}
     * @param at when, in ms since 1970; {@code null} for a {@code client_sent} the client did
     *     not tell
     * @param clock whose clock said it: {@code client}, {@code node} or {@code broker}
     * @param conn the connection concerned, if any
     * @param name its user's name, if any
     * @param detail what happened there, for people (such as the broker's command)
     */
    public record Hop(String hop, Long at, String clock, String conn, String name,
            String detail) {
    }

    /**
     * One side of a side-by-side run: a queue or a room, and what each consumer got.
     *
     * @param kind {@code queue} or {@code room}
     */
    public record Semantics(String kind, String name, List<Share> consumers) {
    }

    /** The messages (numbered from 1) one consumer got, in the order it got them. */
    public record Share(String consumer, List<Integer> got) {
    }
}
