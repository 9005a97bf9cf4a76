package io.cartero.message;

import java.util.Locale;

/**
 * Stable codes for every refusal Cartero reports, on the wire and on the command line. The
 * code is the contract; the human message beside it may change.
 */
public enum ErrorCode {
    /** A room or queue name is empty, too long, or has characters outside {@code a-z0-9-_.}. */
    INVALID_ROOM,
    /** A user name is empty, longer than 32 characters, or contains control characters. */
    INVALID_NAME,
    /** A message text is empty. */
    EMPTY_TEXT,
    /** A message text is longer than 4,000 code points. */
    TEXT_TOO_LONG,
    /** A message text contains a NUL character or is not valid Unicode. */
    INVALID_TEXT,
    /** A message kind that Cartero does not know. */
    INVALID_KIND,
    /** A number or position outside its allowed range. */
    INVALID_ARGUMENT,
    /** The name is already used by another connected person. */
    NAME_TAKEN,
    /** A frame is not a JSON object. */
    BAD_FRAME,
    /** A frame's type is not one this protocol version knows. */
    UNKNOWN_TYPE,
    /** A frame lacks a required field or has one of the wrong type. */
    MISSING_FIELD,
    /** A frame other than hello arrived before hello. */
    HELLO_REQUIRED,
    /** A second hello on the same connection. */
    ALREADY_HELLO,
    /** The hello asked for a protocol version this node does not speak. */
    UNSUPPORTED_VERSION,
    /** A join for a room the connection has already joined. */
    ALREADY_JOINED,
    /** Sending or pushing on a connection that said hello without a name. */
    NAME_REQUIRED,
    /** The operation needs the connection to have joined the room first. */
    NOT_JOINED,
    /**
     * The frame names, in {@code room}, a room reserved for the node (a direct conversation):
     * such a room is reached only through {@code with}.
     */
    FORBIDDEN,
    /** A frame is larger than the node accepts. */
    FRAME_TOO_LARGE,
    /** The broker could not complete the operation. */
    BROKER_UNAVAILABLE,
    /**
     * The node is shutting down: it takes no new request, and a request it could not finish
     * within its grace period is failed with this code. Retry on another node, or after
     * reconnecting.
     */
    SHUTTING_DOWN,
    /** An operator's control without the operator's token, or with a wrong one. */
    OPERATOR_REQUIRED,
    /** The connection sent requests faster than its allowance; wait and send again. */
    RATE_LIMITED,
    /** The connection has joined as many rooms as the node allows at once. */
    TOO_MANY_ROOMS,
    /** The node asks for a password or token and the one presented is missing or wrong. */
    UNAUTHORIZED,
    /** Too many connections are open from the client's address. */
    TOO_MANY_CONNECTIONS,
    /** Too many wrong passwords or tokens came from this address; wait before trying again. */
    TOO_MANY_ATTEMPTS,
    /** Something unexpected failed inside the node. */
    INTERNAL;

    /** The lowercase code used on the wire, for example {@code invalid_room}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code named {@code name} on the wire, or {@link #INTERNAL} if it is unknown. */
    public static ErrorCode fromWireName(String name) {
        for (ErrorCode code : values()) {
            if (code.wireName().equals(name)) {
                return code;
            }
        }
        return INTERNAL;
    }
}
