/**
 * How long the current invocation may still wait on a dependency. A function that runs out of time
 * is frozen or killed mid-call, and then nobody records what happened; so every SDK call of an
 * invocation is aborted a little before its end (`RESERVE_MS`), leaving the function time to say
 * that the outcome is unknown and keep the idempotency key taken (middleware/idempotency.ts).
 *
 * The deadline lives in async-local storage: the local runtime and the tests run several
 * invocations in one process, so a module variable would mix them up.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Kept back from the function's end for the answer and for recording the outcome. */
export const RESERVE_MS = 2_000;

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` with every SDK call bounded to end `RESERVE_MS` before `deadlineMs` (epoch ms). */
export const withinDeadline = <T>(deadlineMs: number | undefined, work: () => Promise<T>): Promise<T> =>
  deadlineMs === undefined ? work() : deadlines.run(deadlineMs, work);

/** The invocation's deadline (epoch ms), when one was set. */
export const currentDeadline = (): number | undefined => deadlines.getStore();

/** Milliseconds a call started now may take, or undefined outside a bounded invocation. */
export const remainingForCalls = (now = Date.now()): number | undefined => {
  const deadline = deadlines.getStore();
  return deadline === undefined ? undefined : Math.max(0, deadline - RESERVE_MS - now);
};

/** An abort signal for one call started now, or undefined outside a bounded invocation. */
export const callSignal = (): AbortSignal | undefined => {
  const remaining = remainingForCalls();
  return remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1, remaining));
};

type Sender = { send: (command: never, options?: { abortSignal?: AbortSignal }) => Promise<unknown> };

/**
 * Makes every `send` of an SDK client carry the invocation's abort signal (a caller's own signal
 * wins). The SDK stops retrying once the signal fires.
 */
export const boundByDeadline = <C extends Sender>(client: C): C => {
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  (client as { send: unknown }).send = (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    const abortSignal = options?.abortSignal ?? callSignal();
    return send(command, abortSignal ? { ...options, abortSignal } : options);
  };
  return client;
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/**
 * Whether a failed call may still have been applied: it was aborted or timed out, or the connection
 * broke after the request was sent. A refused connection or any answer from the service is known.
 */
export const isOutcomeUnknown = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || error.name === 'RequestTimeout')
    return true;
  const code = (error as { code?: string }).code;
  const answered = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return answered === undefined && code !== undefined && NETWORK_CODES.has(code);
};

/**
 * A client's transport limits: each attempt ends after `requestTimeoutMs` (an error, not only a
 * warning), at most `maxAttempts` attempts. Chosen per client so that all attempts together fit the
 * timeout of the functions that use it (docs/decisions/0115).
 */
export const transport = (options: { requestTimeoutMs: number; maxAttempts: number }) => ({
  maxAttempts: options.maxAttempts,
  requestHandler: {
    connectionTimeout: Math.min(1_000, options.requestTimeoutMs),
    requestTimeout: options.requestTimeoutMs,
    throwOnRequestTimeout: true,
  },
});
