package io.cartero.broker.redis;

/**
 * A malformed entry that a pop took from a queue and moved to a dead-letter list instead of
 * returning it.
 *
 * @param queue the queue's name
 * @param deadLetters the Redis list that now holds the entry, unchanged
 * @param reason what was wrong with it, in English
 */
public record SetAside(String queue, String deadLetters, String reason) {
}
