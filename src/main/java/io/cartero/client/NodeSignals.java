package io.cartero.client;

import io.cartero.broker.Signal;
import io.cartero.broker.SignalFanOut;
import io.cartero.broker.SignalListener;
import io.cartero.broker.SignalSubscription;
import io.cartero.broker.Signals;
import io.cartero.message.ErrorCode;
import io.cartero.message.ValidationException;
import io.cartero.protocol.Frame;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signals port over a node's protocol, where the one signal is typing: sending is a
 * {@code typing} request, and the node's {@code typing} frames go to the listeners of their
 * room. The node forwards typing only to connections that joined the room (through
 * {@link NodeRooms}), never the client's own, and at most one per sender and room a second;
 * a listener of a room not joined hears nothing. Thread-safe.
 */
final class NodeSignals implements Signals {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSignals.class);

    private final NodeLink link;
    private final String name;
    private final SignalFanOut fanOut;

    NodeSignals(NodeLink link, RoomSubscriptions subscriptions, String name) {
        this.link = link;
        this.name = name;
        this.fanOut = new SignalFanOut(link.callbacks());
        subscriptions.onTyping(this::received);
    }

    /**
     * {@inheritDoc} Only {@link Signal#TYPING} signals from the client's own name, in a room
     * it joined; the node refuses others.
     */
    @Override
    public CompletableFuture<Void> send(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        if (!Signal.TYPING.equals(signal.kind()) || !signal.sender().equals(name)) {
            return CompletableFuture.failedFuture(new ValidationException(
                    ErrorCode.INVALID_ARGUMENT, "a node carries only typing signals of the"
                            + " session's own user"));
        }
        return link.connection().call(id -> new Frame.Typing(id, signal.room()), Frame.Ok.class,
                ok -> null);
    }

    @Override
    public CompletableFuture<SignalSubscription> listen(String room, SignalListener listener) {
        try {
            return CompletableFuture.completedFuture(fanOut.listen(room, listener));
        } catch (ValidationException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void received(Frame.Typing frame) {
        try {
            fanOut.deliver(Signal.typing(frame.room(), frame.name()));
        } catch (ValidationException e) {
            LOG.debug("unreadable typing frame url={} reason={}", link.connection().url(),
                    e.getMessage());
        }
    }
}
