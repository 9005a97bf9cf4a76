package io.cartero.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.cartero.message.Message;
import io.cartero.message.QueueMessage;
import java.util.List;

/**
 * Every frame of the WebSocket protocol, as documented in {@code docs/protocol.md}. A frame is a
 * JSON object whose {@code type} names the record below; field names are snake_case.
 *
 * <p>Requests carry an optional {@code id} chosen by the client; the reply to a request (or
 * the error it caused) carries the same {@code id}.
 *
 * <p>Room requests name their room in {@code room}, or a direct conversation in {@code with}
 * (the other user's name), never both; the node names a direct conversation's room itself
 * (see {@link DirectRooms}). Frames about a direct room carry {@code between}: its two users,
 * sorted; {@code null} for other rooms.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(Frame.Hello.class),
    @JsonSubTypes.Type(Frame.Join.class),
    @JsonSubTypes.Type(Frame.Leave.class),
    @JsonSubTypes.Type(Frame.Send.class),
    @JsonSubTypes.Type(Frame.History.class),
    @JsonSubTypes.Type(Frame.Who.class),
    @JsonSubTypes.Type(Frame.ListRooms.class),
    @JsonSubTypes.Type(Frame.Push.class),
    @JsonSubTypes.Type(Frame.Pop.class),
    @JsonSubTypes.Type(Frame.Take.class),
    @JsonSubTypes.Type(Frame.Confirm.class),
    @JsonSubTypes.Type(Frame.Depth.class),
    @JsonSubTypes.Type(Frame.Ping.class),
    @JsonSubTypes.Type(Frame.Typing.class),
    @JsonSubTypes.Type(Frame.Welcome.class),
    @JsonSubTypes.Type(Frame.Joined.class),
    @JsonSubTypes.Type(Frame.Left.class),
    @JsonSubTypes.Type(Frame.MessageFrame.class),
    @JsonSubTypes.Type(Frame.HistoryLost.class),
    @JsonSubTypes.Type(Frame.Ack.class),
    @JsonSubTypes.Type(Frame.HistoryPage.class),
    @JsonSubTypes.Type(Frame.Members.class),
    @JsonSubTypes.Type(Frame.RoomList.class),
    @JsonSubTypes.Type(Frame.Pushed.class),
    @JsonSubTypes.Type(Frame.Popped.class),
    @JsonSubTypes.Type(Frame.TakenMessage.class),
    @JsonSubTypes.Type(Frame.Confirmed.class),
    @JsonSubTypes.Type(Frame.QueueDepth.class),
    @JsonSubTypes.Type(Frame.Pong.class),
    @JsonSubTypes.Type(Frame.Ok.class),
    @JsonSubTypes.Type(Frame.Direct.class),
    @JsonSubTypes.Type(Frame.Error.class),
    @JsonSubTypes.Type(Frame.Watch.class),
    @JsonSubTypes.Type(Frame.Unwatch.class),
    @JsonSubTypes.Type(Frame.Journey.class),
    @JsonSubTypes.Type(Frame.Watching.class),
    @JsonSubTypes.Type(Frame.View.class),
    @JsonSubTypes.Type(Frame.JourneyReport.class),
    @JsonSubTypes.Type(Frame.Compare.class),
    @JsonSubTypes.Type(Frame.Comparison.class),
    @JsonSubTypes.Type(Frame.Operate.class),
    @JsonSubTypes.Type(Frame.Operated.class)
})
public sealed interface Frame {

    /** The protocol version this code speaks. */
    int VERSION = 1;

    /** The request id, or {@code null} for frames that answer nothing. */
    Long id();

    // Client to node.

    /**
     * Opens a session. Without a name, the session may read but not send or push. A client
     * that reconnects sends the same {@code session} token as before, so that it takes back
     * its name even while the node still holds it for the lost connection.
     */
    @JsonTypeName("hello")
    record Hello(Long id, String name, Integer version, String session) implements Frame {
        /** A hello without a session token. */
        public Hello(Long id, String name, Integer version) {
            this(id, name, version, null);
        }
    }

    /** Joins a room; {@code after} resumes, {@code last} asks for recent history. */
    @JsonTypeName("join")
    record Join(Long id, String room, After after, Integer last, String with)
            implements Frame {
        /** A join of a room named in {@code room}. */
        public Join(Long id, String room, After after, Integer last) {
            this(id, room, after, last, null);
        }
    }

    /** A resume position: the last message seen. */
    record After(String epoch, Long offset) {
    }

    /** Leaves a room. */
    @JsonTypeName("leave")
    record Leave(Long id, String room, String with) implements Frame {
        /** A leave of a room named in {@code room}. */
        public Leave(Long id, String room) {
            this(id, room, null);
        }
    }

    /**
     * Sends a chat message to a room; {@code key} makes retries safe. {@code clientTime} is
     * optional: when the client sent it, by its own clock (ms since 1970), for the journey.
     */
    @JsonTypeName("send")
    record Send(Long id, String room, String text, String key, String with, Long clientTime)
            implements Frame {
        /** A send without the client's time. */
        public Send(Long id, String room, String text, String key, String with) {
            this(id, room, text, key, with, null);
        }

        /** A send to a room named in {@code room}. */
        public Send(Long id, String room, String text, String key) {
            this(id, room, text, key, null, null);
        }
    }

    /** Asks for messages older than {@code before} (absent: the newest). */
    @JsonTypeName("history")
    record History(Long id, String room, Long before, Integer limit, String with)
            implements Frame {
        /** A history request for a room named in {@code room}. */
        public History(Long id, String room, Long before, Integer limit) {
            this(id, room, before, limit, null);
        }
    }

    /** Asks who is in a room. */
    @JsonTypeName("who")
    record Who(Long id, String room, String with) implements Frame {
        /** Asks who is in the room named {@code room}. */
        public Who(Long id, String room) {
            this(id, room, null);
        }
    }

    /** Asks for the list of rooms. */
    @JsonTypeName("rooms")
    record ListRooms(Long id) implements Frame {
    }

    /** Pushes a message onto a queue. */
    @JsonTypeName("push")
    record Push(Long id, String queue, String text) implements Frame {
    }

    /** Takes one message from a queue, waiting up to {@code waitMs} milliseconds. */
    @JsonTypeName("pop")
    record Pop(Long id, String queue, Long waitMs) implements Frame {
    }

    /**
     * Takes one message from a queue under a lease of {@code leaseMs} milliseconds, waiting up
     * to {@code waitMs} for one: at-least-once consumption, ended by {@link Confirm}.
     */
    @JsonTypeName("take")
    record Take(Long id, String queue, Long waitMs, Long leaseMs) implements Frame {
    }

    /** Confirms that a taken message was handled, so that the broker forgets it. */
    @JsonTypeName("confirm")
    record Confirm(Long id, String queue, String receipt) implements Frame {
    }

    /** Asks how many messages wait in a queue. */
    @JsonTypeName("depth")
    record Depth(Long id, String queue) implements Frame {
    }

    /** Checks that the connection is alive. */
    @JsonTypeName("ping")
    record Ping(Long id) implements Frame {
    }

    /**
     * Someone is typing in a room. From a client: {@code room} or {@code with}, answered with
     * {@link Ok}. From the node (no id): {@code room}, the typist's {@code name} and, for a
     * direct room, {@code between}. Never stored.
     */
    @JsonTypeName("typing")
    record Typing(Long id, String room, String with, String name, List<String> between)
            implements Frame {
        /** A client's typing signal for the room named {@code room}. */
        public Typing(Long id, String room) {
            this(id, room, null, null, null);
        }
    }

    // Node to client.

    /** The session is open. */
    @JsonTypeName("welcome")
    record Welcome(Long id, String name, int version, String node, Limits limits)
            implements Frame {
    }

    /** What the node accepts, so that a client can check before sending. */
    record Limits(int maxFrameBytes, int maxTextCodePoints, int maxHistory) {
    }

    /**
     * The room is joined. The backlog follows as {@code message} frames up to
     * {@code lastOffset}, then live messages.
     */
    @JsonTypeName("joined")
    record Joined(Long id, String room, String epoch, String resume, long lastOffset,
            List<String> members, List<String> between) implements Frame {
        /** The reply to a join of a room that is not a direct conversation. */
        public Joined(Long id, String room, String epoch, String resume, long lastOffset,
                List<String> members) {
            this(id, room, epoch, resume, lastOffset, members, null);
        }
    }

    /** The room is left. */
    @JsonTypeName("left")
    record Left(Long id, String room, List<String> between) implements Frame {
        /** The reply to a leave of a room that is not a direct conversation. */
        public Left(Long id, String room) {
            this(id, room, null);
        }
    }

    /** One message of a joined room. */
    @JsonTypeName("message")
    record MessageFrame(Long id, Message message, List<String> between) implements Frame {
        /** A message of a room that is not a direct conversation. */
        public MessageFrame(Long id, Message message) {
            this(id, message, null);
        }
    }

    /** Messages of a joined room were lost; delivery goes on at {@code nextOffset}. */
    @JsonTypeName("history_lost")
    record HistoryLost(Long id, String room, String epoch, long nextOffset,
            List<String> between) implements Frame {
        /** Lost history of a room that is not a direct conversation. */
        public HistoryLost(Long id, String room, String epoch, long nextOffset) {
            this(id, room, epoch, nextOffset, null);
        }
    }

    /** A sent message is stored; a retry with the same key gets the first message again. */
    @JsonTypeName("ack")
    record Ack(Long id, Message message, List<String> between) implements Frame {
        /** The ack of a message to a room that is not a direct conversation. */
        public Ack(Long id, Message message) {
            this(id, message, null);
        }
    }

    /** Messages of a room, oldest first. */
    @JsonTypeName("history_page")
    record HistoryPage(Long id, String room, List<Message> messages, List<String> between)
            implements Frame {
        /** A page of a room that is not a direct conversation. */
        public HistoryPage(Long id, String room, List<Message> messages) {
            this(id, room, messages, null);
        }
    }

    /** Who is in a room. */
    @JsonTypeName("members")
    record Members(Long id, String room, List<String> members, List<String> between)
            implements Frame {
        /** The members of a room that is not a direct conversation. */
        public Members(Long id, String room, List<String> members) {
            this(id, room, members, null);
        }
    }

    /** The rooms the node knows. */
    @JsonTypeName("room_list")
    record RoomList(Long id, List<RoomEntry> rooms) implements Frame {
    }

    /** One room in a {@link RoomList}. */
    record RoomEntry(String name, String epoch, long lastOffset, int members) {
    }

    /** A message is on the queue. */
    @JsonTypeName("pushed")
    record Pushed(Long id, QueueMessage message) implements Frame {
    }

    /** The message taken from a queue, or {@code null} when none came in time. */
    @JsonTypeName("popped")
    record Popped(Long id, String queue, QueueMessage message) implements Frame {
    }

    /**
     * The message taken from a queue with its receipt and attempt, or no {@code message} when
     * none came in time.
     */
    @JsonTypeName("taken")
    record TakenMessage(Long id, String queue, QueueMessage message, String receipt,
            Integer attempt) implements Frame {
    }

    /** A confirm was handled; {@code found} is false when the lease had already ended. */
    @JsonTypeName("confirmed")
    record Confirmed(Long id, String queue, String receipt, boolean found) implements Frame {
    }

    /** How many messages wait in a queue. */
    @JsonTypeName("queue_depth")
    record QueueDepth(Long id, String queue, long depth) implements Frame {
    }

    /** The answer to a ping. */
    @JsonTypeName("pong")
    record Pong(Long id) implements Frame {
    }

    /** A request that needs no other answer was handled (for {@code typing}). */
    @JsonTypeName("ok")
    record Ok(Long id) implements Frame {
    }

    /**
     * The session's user has a direct conversation with {@code with} in {@code room}: sent
     * without id after {@code welcome} for each recent conversation, and when one becomes the
     * user's most recent.
     */
    @JsonTypeName("direct")
    record Direct(Long id, String with, String room) implements Frame {
    }

    /** A request failed; {@code code} is stable, {@code message} is for people. */
    @JsonTypeName("error")
    record Error(Long id, String code, String message) implements Frame {
    }

    // The broker view (docs/protocol.md, "The broker view").

    /** Asks the node for the picture of its broker: a snapshot, then updates. */
    @JsonTypeName("watch")
    record Watch(Long id) implements Frame {
    }

    /** Stops the updates asked for with {@link Watch}. */
    @JsonTypeName("unwatch")
    record Unwatch(Long id) implements Frame {
    }

    /** Asks for the hops this node recorded of one message of a room. */
    @JsonTypeName("journey")
    record Journey(Long id, String room, Long offset, String epoch) implements Frame {
    }

    /** The reply to {@link Watch}: {@code view} frames follow. */
    @JsonTypeName("watching")
    record Watching(Long id, String node, int updatesPerSecond) implements Frame {
    }

    /**
     * The whole picture of the broker as this node sees it, sent without id to watching
     * connections: the first one after {@link Watching}, then whenever it changes.
     */
    @JsonTypeName("view")
    record View(Long id, List<Picture.NodeBox> nodes, Picture.BrokerBox broker,
            List<Picture.Client> connections, List<Picture.RoomBox> rooms,
            List<Picture.QueueBox> queues, List<Picture.Edge> edges,
            List<Picture.Flow> recent, int watchers) implements Frame {
    }

    /** The hops of one message, oldest first; {@code hops} is empty when none is known. */
    @JsonTypeName("journey_report")
    record JourneyReport(Long id, String room, long offset, String epoch, String sender,
            List<Picture.Hop> hops) implements Frame {
    }

    /**
     * Asks the node to send messages 1 to {@code count} to a new queue and a new room, each
     * with two simulated consumers, and to say who got which.
     */
    @JsonTypeName("compare")
    record Compare(Long id, Integer count) implements Frame {
    }

    /** What each simulated consumer got from the queue and from the room. */
    @JsonTypeName("comparison")
    record Comparison(Long id, int count, Picture.Semantics queue, Picture.Semantics room)
            implements Frame {
    }

    /**
     * An operator's classroom control, with the operator's token: {@code action} is
     * {@code pause} or {@code resume} (a consumer by {@code name}), {@code cut} or
     * {@code restore} (this node's broker), {@code simulate} ({@code role} producer or
     * consumer, {@code room} or {@code queue}, {@code rate} per second, {@code count}) or
     * {@code unsimulate}.
     */
    @JsonTypeName("operate")
    record Operate(Long id, String token, String action, String name, String role,
            String room, String queue, Double rate, Integer count) implements Frame {
    }

    /** An operator's control was carried out; {@code detail} says what it did. */
    @JsonTypeName("operated")
    record Operated(Long id, String action, String name, String detail) implements Frame {
    }
}
