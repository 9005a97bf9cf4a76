package io.cartero.client;

import io.cartero.broker.BrokerException;

/**
 * A request got no reply in time on a connection that still looked open. The node may be
 * slow, or the connection dead without either side having noticed yet (the heartbeat will);
 * the request may or may not have reached the node.
 */
final class ReplyTimeoutException extends BrokerException {
    private static final long serialVersionUID = 1L;

    ReplyTimeoutException(String message) {
        super(message);
    }
}
