/**
 * When a failed delivery is tried again (docs/api.md "Webhooks"): the first retry 30 seconds after
 * the first failure, then growing pauses up to 4 hours, for 24 hours from the first attempt. The
 * last retry is made at the end of the window; a failure after that gives the delivery up.
 * Deterministic (no jitter): deliveries of one endpoint are sent one at a time anyway, so retries
 * of many deliveries never stampede an endpoint.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The pause after the n-th failed attempt (n = 1, 2, …); the last one repeats. */
export const RETRY_DELAYS_MS = [
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
] as const;

export const RETRY_WINDOW_MS = 24 * HOUR;

/**
 * When to try again after `attempts` failed attempts, the first made at `firstAttemptAt`, the last
 * ending `now`; undefined when the window is over and the delivery is given up.
 */
export const nextAttemptAt = (firstAttemptAt: Date, attempts: number, now: Date): Date | undefined => {
  const windowEnd = firstAttemptAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= windowEnd) return undefined;
  const delay = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  return new Date(Math.min(now.getTime() + delay, windowEnd));
};
