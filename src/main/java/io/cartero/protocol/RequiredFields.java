package io.cartero.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.cartero.message.ErrorCode;

/** The fields each request frame must have; the node checks their values. */
final class RequiredFields {

    private RequiredFields() {
    }

    static void check(Frame frame) {
        if (frame instanceof Frame.Join join) {
            require(join, "room", join.room());
            if (join.after() != null) {
                require(join, "after.epoch", join.after().epoch());
                require(join, "after.offset", join.after().offset());
            }
        } else if (frame instanceof Frame.Leave leave) {
            require(leave, "room", leave.room());
        } else if (frame instanceof Frame.Send send) {
            require(send, "room", send.room());
            require(send, "text", send.text());
        } else if (frame instanceof Frame.History history) {
            require(history, "room", history.room());
        } else if (frame instanceof Frame.Who who) {
            require(who, "room", who.room());
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
        } else if (frame instanceof Frame.Error error) {
            require(error, "code", error.code());
        }
    }

    private static void require(Frame frame, String field, Object value) {
        if (value == null) {
            String type = frame.getClass().getAnnotation(JsonTypeName.class).value();
            throw new FrameException(ErrorCode.MISSING_FIELD,
                    "frame \"" + type + "\" needs \"" + field + "\"", frame.id());
        }
    }
}
