package io.cartero.bench;

import java.util.Map;

/**
 * The figures of one run.
 *
 * @param target what was measured: the node addresses or the broker
 * @param plan what the run did
 * @param seconds the length of the measured window
 * @param deliveriesPerSecond messages received by subscribers in the window, per second
 * @param acksPerSecond publish acknowledgements in the window, per second
 * @param latency from a message's intended send time to its arrival at a subscriber
 * @param ackLatency from a message's intended send time to its acknowledgement
 * @param tally the exact count over the whole run
 * @param closedByNode connections the node closed, by close code
 * @param nodeCpuMicrosPerDelivery the nodes' CPU time in the window per delivery in it, in
 *     microseconds; -1 when no node's {@code /metrics} answered (or no node was measured)
 * @param nodePeakHeapBytes the largest heap in use a node showed during the run; -1 if
 *     unknown
 * @param generatorCpuMicrosPerDelivery this process's CPU time in the window per delivery
 * @param idleConnections connections open beside the run that only said hello
 * @param settled whether, at the end, every message sent was answered and nothing more was
 *     arriving; when not, messages counted as lost may still have been on their way (the
 *     node was behind)
 */
public record BenchResult(String target, BenchPlan plan, double seconds,
        double deliveriesPerSecond, double acksPerSecond, Percentiles latency,
        Percentiles ackLatency, Tally tally, Map<Integer, Integer> closedByNode,
        double nodeCpuMicrosPerDelivery, long nodePeakHeapBytes,
        double generatorCpuMicrosPerDelivery, int idleConnections,
        boolean settled) {
}
