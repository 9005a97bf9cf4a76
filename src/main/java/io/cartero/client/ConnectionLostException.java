package io.cartero.client;

import io.cartero.broker.BrokerException;

/**
 * A request failed because its connection to the node was lost before the reply came. The
 * request may or may not have reached the node.
 */
final class ConnectionLostException extends BrokerException {
    private static final long serialVersionUID = 1L;

    ConnectionLostException(String message) {
        super(message);
    }

    ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
