package io.cartero.node;

import io.cartero.broker.Broker;
import io.cartero.broker.NameRegistry;

/**
 * How the operator restarts the broker a node runs on: given by whoever opened the broker (the
 * embedded one: close it, open it again on the same folder), since the node never opens or
 * closes a broker itself.
 */
@FunctionalInterface
public interface BrokerRestart {

    /**
     * Closes the running broker and opens it again.
     *
     * @return the broker opened in its place, and its name registry
     * @throws RuntimeException if it could not be opened again; the node stays cut off
     */
    Restarted restart();

    /** A broker opened again, and its name registry (often the same object). */
    record Restarted(Broker broker, NameRegistry names) {
    }
}
