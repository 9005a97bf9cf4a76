package io.cartero.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.cartero.message.ErrorCode;

/** The fields each request frame must have; the node checks their values. */
final class RequiredFields {

    private RequiredFields() {
    }

    static void check(Frame frame) {
        if (frame instanceof Frame.Join join) {
            requireTarget(join, join.room(), join.with());
            if (join.after() != null) {
                require(join, "after.epoch", join.after().epoch());
                require(join, "after.offset", join.after().offset());
            }
        } else if (frame instanceof Frame.Leave leave) {
            requireTarget(leave, leave.room(), leave.with());
        } else if (frame instanceof Frame.Send send) {
            requireTarget(send, send.room(), send.with());
            require(send, "text", send.text());
        } else if (frame instanceof Frame.History history) {
            requireTarget(history, history.room(), history.with());
        } else if (frame instanceof Frame.Who who) {
            requireTarget(who, who.room(), who.with());
        } else if (frame instanceof Frame.Typing typing) {
            requireTarget(typing, typing.room(), typing.with());
        } else if (frame instanceof Frame.Push push) {
            require(push, "queue", push.queue());
            require(push, "text", push.text());
        } else if (frame instanceof Frame.Pop pop) {
            require(pop, "queue", pop.queue());
        } else if (frame instanceof Frame.Take take) {
            require(take, "queue", take.queue());
            require(take, "lease_ms", take.leaseMs());
        } else if (frame instanceof Frame.Confirm confirm) {
            require(confirm, "queue", confirm.queue());
            require(confirm, "receipt", confirm.receipt());
        } else if (frame instanceof Frame.Depth depth) {
            require(depth, "queue", depth.queue());
        } else if (frame instanceof Frame.Direct direct) {
            require(direct, "with", direct.with());
            require(direct, "room", direct.room());
        } else if (frame instanceof Frame.Journey journey) {
            require(journey, "room", journey.room());
            require(journey, "offset", journey.offset());
        } else if (frame instanceof Frame.Compare compare) {
            require(compare, "count", compare.count());
        } else if (frame instanceof Frame.Operate operate) {
            require(operate, "action", operate.action());
        } else if (frame instanceof Frame.Error error) {
            require(error, "code", error.code());
        }
    }

    /** A room request names a room or a direct conversation: one of the two. */
    private static void requireTarget(Frame frame, String room, String with) {
        if (room == null && with == null) {
            throw new FrameException(ErrorCode.MISSING_FIELD, "frame \"" + typeName(frame)
                    + "\" needs \"room\" or \"with\"", frame.id());
        }
        if (room != null && with != null) {
            throw new FrameException(ErrorCode.INVALID_ARGUMENT, "frame \"" + typeName(frame)
                    + "\" takes either \"room\" or \"with\", not both", frame.id());
        }
    }

    private static void require(Frame frame, String field, Object value) {
        if (value == null) {
            throw new FrameException(ErrorCode.MISSING_FIELD,
                    "frame \"" + typeName(frame) + "\" needs \"" + field + "\"", frame.id());
        }
    }

    private static String typeName(Frame frame) {
        return frame.getClass().getAnnotation(JsonTypeName.class).value();
    }
}
