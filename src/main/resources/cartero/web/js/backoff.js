// When to try connecting again: exponential backoff with full jitter. The ceiling doubles
// from 250 ms with each failed attempt up to 10 s, and the wait is drawn uniformly below it,
// so that a room full of browsers does not come back in one wave after a restart.

export const FIRST_CEILING_MS = 250;
export const LAST_CEILING_MS = 10_000;

/**
 * The wait before attempt number `attempt` (1 for the first retry).
 * @param {number} attempt
 * @param {() => number} [random] a number in [0, 1)
 */
export function backoffDelay(attempt, random = Math.random) {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 16);
  const ceiling = Math.min(LAST_CEILING_MS, FIRST_CEILING_MS * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
