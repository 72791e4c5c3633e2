/**
 * The one retry policy for writes that lost an optimistic-concurrency race (`concurrent-update`):
 * re-run the whole attempt (read, decide, conditional write) after a jittered, exponentially growing
 * pause ("full jitter"), so racing writers spread out instead of colliding again in lock step.
 *
 * Pauses are counted in slots of one attempt's duration (at least `minSlotMs`): how long a write
 * takes is how far apart writers must be to stop colliding, and a slower store (DynamoDB Local on a
 * busy machine is 10-40 times slower than DynamoDB) gets proportionally wider windows instead of a
 * retry storm. At DynamoDB's usual ~25 ms per attempt the budget is about 6 s of pauses, inside the
 * 10 s Lambda timeout. Past the budget the caller gets 409 `concurrent-update` with a Retry-After.
 */
import { ConflictError, DomainError } from './errors.ts';

/**
 * How a write that lost a race waits before trying again (the policy below). A port so that tests
 * control chance and time: no real sleeping, the same pauses on every run.
 */
export interface Backoff {
  /** A number drawn uniformly from [0, 1): the jitter. */
  random(): number;
  sleep(ms: number): Promise<void>;
  /** Milliseconds on a monotonic clock: how long an attempt took sizes the pauses. */
  now(): number;
}

export type RetryPolicy = {
  /** The shortest slot, however fast an attempt was. */
  minSlotMs: number;
  /** The pause window doubles per lost race, from one slot up to this many. */
  capSlots: number;
  /** The most slots all pauses of one request may add up to. */
  budgetSlots: number;
  /** A guard against a jitter source that keeps drawing zero. */
  maxAttempts: number;
  /** What a request that could not land tells its client to wait. */
  retryAfterSeconds: number;
};

export const RETRY_POLICY: RetryPolicy = {
  minSlotMs: 25,
  capSlots: 64,
  budgetSlots: 240,
  maxAttempts: 60,
  retryAfterSeconds: 1,
};

export const isConcurrentUpdate = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'concurrent-update';

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
  let waitedSlots = 0;
  for (let lost = 0; ; lost++) {
    const started = backoff.now();
    try {
      return await attempt();
    } catch (error) {
      if (!isConcurrentUpdate(error)) throw error;
      const slotMs = Math.max(policy.minSlotMs, backoff.now() - started);
      const slots = backoff.random() * Math.min(policy.capSlots, 2 ** lost);
      if (lost + 1 >= policy.maxAttempts || waitedSlots + slots > policy.budgetSlots) {
        throw new ConflictError(
          'concurrent-update',
          'Too many concurrent changes to this resource; retry after the time in Retry-After.',
          { retryAfterSeconds: policy.retryAfterSeconds },
        );
      }
      waitedSlots += slots;
      await backoff.sleep(Math.floor(slots * slotMs));
    }
  }
};
