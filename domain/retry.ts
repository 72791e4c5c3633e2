/**
 * The one retry policy for writes that lost an optimistic-concurrency race (`concurrent-update`):
 * re-run the whole attempt (read, decide, conditional write) after a jittered, exponentially growing
 * pause. "Full jitter" spreads racing writers over the window instead of letting them collide again in
 * lock step, so 50 writers at one deal all land within the budget. The budget caps the total pause
 * (well inside the 10 s Lambda timeout); past it the caller gets 409 `concurrent-update` with a
 * Retry-After, never a timeout.
 */
import { ConflictError, DomainError } from './errors.ts';
import type { Backoff } from './ports.ts';

export type RetryPolicy = {
  /** The first pause's upper bound; each further attempt doubles it up to `capMs`. */
  baseMs: number;
  capMs: number;
  /** The most time all pauses of one request may add up to. */
  waitBudgetMs: number;
  /** A guard against a jitter source that keeps drawing zero. */
  maxAttempts: number;
  /** What a request that could not land tells its client to wait. */
  retryAfterSeconds: number;
};

export const RETRY_POLICY: RetryPolicy = {
  baseMs: 20,
  capMs: 1_000,
  waitBudgetMs: 6_000,
  maxAttempts: 60,
  retryAfterSeconds: 1,
};

export const isConcurrentUpdate = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'concurrent-update';

/** The pause before attempt `attempt + 1` (0-based `attempt` counts the attempts that lost). */
export const pauseBefore = (policy: RetryPolicy, attempt: number, random: number): number =>
  Math.floor(random * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));

/**
 * Runs `attempt` until it does not lose a race. Any other outcome (success or another error) ends it.
 * `attempt` must read what it decides on afresh each time, so a retry re-applies the change to the
 * state that won.
 */
export const retryOnConflict = async <T>(
  backoff: Backoff,
  attempt: () => Promise<T>,
  policy: RetryPolicy = RETRY_POLICY,
): Promise<T> => {
  let waited = 0;
  for (let lost = 0; ; lost++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConcurrentUpdate(error)) throw error;
      const pause = pauseBefore(policy, lost, backoff.random());
      if (lost + 1 >= policy.maxAttempts || waited + pause > policy.waitBudgetMs) {
        throw new ConflictError(
          'concurrent-update',
          'Too many concurrent changes to this resource; retry after the time in Retry-After.',
          { retryAfterSeconds: policy.retryAfterSeconds },
        );
      }
      waited += pause;
      await backoff.sleep(pause);
    }
  }
};
