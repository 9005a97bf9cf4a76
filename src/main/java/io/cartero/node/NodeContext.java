package io.cartero.node;

import io.cartero.broker.Broker;
import io.cartero.broker.NameRegistry;
import io.cartero.protocol.FrameCodec;
import java.util.concurrent.Executor;

/**
 * What every connection of a node shares. All of it is thread-safe.
 *
 * @param nodeId the node's id, shown in {@code welcome}
 * @param broker the broker behind the node
 * @param names where user names are reserved
 * @param settings the limits
 * @param codec the frame codec
 * @param messageFrames encodes room messages once for all recipients
 * @param chores runs connection clean-ups away from Jetty's and the broker's threads
 * @param sessions the named connections, for session takeover
 * @param metrics the node's meters
 * @param view the broker view, with the journeys of recent messages
 * @param controls the operator's classroom controls
 * @param failures the log of requests the broker failed
 */
record NodeContext(
        String nodeId, Broker broker, NameRegistry names, NodeSettings settings,
        FrameCodec codec, MessageFrames messageFrames, Executor chores, Sessions sessions,
        NodeMetrics metrics, BrokerView view, OperatorControls controls,
        BrokerFailures failures) {
}
