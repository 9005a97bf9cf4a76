package io.cartero.node;

/**
 * What a graceful shutdown of a node did.
 *
 * @param connectionsClosed connections closed with 1012
 * @param requestsFinished requests in flight when the shutdown began that were answered
 * @param requestsFailed requests answered with {@code shutting_down} because the broker had not
 *     answered them within the grace period (or a pop or take was still waiting)
 */
public record ShutdownSummary(int connectionsClosed, int requestsFinished, int requestsFailed) {
}
