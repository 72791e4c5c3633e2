/**
 * `Idempotency-Key` on POST routes (docs/api.md): scoped to the calling user (org and sub); the same key
 * with the same request within 24 hours answers the first response again (status, headers, body,
 * plus `idempotent-replayed: true`); the same key with another request is a 422; a duplicate that
 * arrives while the first is still running is a 409 `request-in-progress` (retry it shortly).
 * Failed requests (any error) release the key, so only successful answers are replayed. Whenever
 * the key is already taken, the route's `authorize` (its use case's authorization) runs for this
 * caller first: a key never turns a 403/404 into anything else. A field the route shows only once (a signing secret) is never stored:
 * the replay answers without it and names it in `shown-only-once`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { ValidationError } from '#domain/kernel/errors.ts';
import type { KeyOwner, StoredResponse } from '../../adapters/dynamo/idempotency-store.ts';
import { currentDeadline, isOutcomeUnknown, RESERVE_MS } from '../../adapters/time-budget.ts';
import { getIdempotencyStore } from '../../composition/deps.ts';
import { header } from '../headers.ts';
import { HttpError } from '../http-error.ts';
import { OUTCOME_UNKNOWN, OUTCOME_UNKNOWN_DETAIL } from '../problem.ts';
import type { HttpEvent, HttpResponse, ParsedRequest, RouteContext } from '../route-context.ts';
import { answerEarly } from './early-response.ts';
import { bodyTooDeep, MAX_BODY_DEPTH } from './json-body.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
export const IDEMPOTENCY_RETAIN_SECONDS = 24 * 60 * 60;
/** An attempt's lock when the invocation has no deadline (tests): API Gateway's integration timeout. */
const LOCK_SECONDS = 30;
/** Past the invocation's deadline: the function's own answer and teardown. */
const LOCK_GRACE_SECONDS = 2;

/** How long this attempt may run, from the invocation's deadline (adapters/time-budget.ts). */
const lockSecondsFor = (now: number): number => {
  const deadline = currentDeadline();
  return deadline === undefined ? LOCK_SECONDS : Math.ceil((deadline - now) / 1000) + LOCK_GRACE_SECONDS;
};
export const REPLAYED_HEADER = 'idempotent-replayed';
/** On a replay: the body fields the first answer showed and no replay shows again, comma-separated. */
export const SHOWN_ONLY_ONCE_HEADER = 'shown-only-once';

/**
 * Key order and whitespace do not make two bodies different. The body stage already refused
 * anything nested deeper than `MAX_BODY_DEPTH`; the bound here keeps the recursion safe on its own.
 */
const canonical = (value: unknown, depth = 0): unknown => {
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_BODY_DEPTH) throw bodyTooDeep();
  if (Array.isArray(value)) return value.map((inner) => canonical(inner, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, canonical(inner, depth + 1)]),
  );
};

const fingerprintOf = (event: HttpEvent, body: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify([event.routeKey, canonical(event.pathParameters ?? {}), canonical(body)]))
    .digest('base64url');

const readKey = (event: HttpEvent): string | undefined => {
  const key = header(event, IDEMPOTENCY_HEADER);
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw new ValidationError([
      {
        path: `header.${IDEMPOTENCY_HEADER}`,
        message: `Use 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      },
    ]);
  return key;
};

/**
 * The answer as a record may keep it: without the fields shown only once. Also applied when
 * replaying, so a record written before a field was declared never shows it again either.
 */
const withoutShownOnce = (response: StoredResponse, shownOnce: readonly string[]): StoredResponse => {
  if (shownOnce.length === 0 || response.body === undefined) return response;
  const body: unknown = JSON.parse(response.body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return response;
  const kept = Object.fromEntries(Object.entries(body).filter(([field]) => !shownOnce.includes(field)));
  return {
    ...response,
    headers: { ...response.headers, [SHOWN_ONLY_ONCE_HEADER]: shownOnce.join(', ') },
    body: JSON.stringify(kept),
  };
};

const replay = (response: StoredResponse, shownOnce: readonly string[]): HttpResponse => {
  const kept = withoutShownOnce(response, shownOnce);
  return {
    statusCode: kept.statusCode,
    headers: { ...kept.headers, [REPLAYED_HEADER]: 'true' },
    ...(kept.body === undefined ? {} : { body: kept.body }),
  };
};

type Claimed = { owner: KeyOwner; key: string; token: string; lockedUntilMs: number };

/** The claims this process holds for requests still running, by request context. */
const held = new WeakMap<RouteContext, Claimed>();

const stored = (response: HttpResponse, shownOnce: readonly string[]): StoredResponse =>
  withoutShownOnce(
    {
      statusCode: response.statusCode ?? 200,
      headers: Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, v]) => [name, String(v)]),
      ),
      ...(typeof response.body === 'string' ? { body: response.body } : {}),
    },
    shownOnce,
  );

/**
 * Runs the route at most once per user and key (POST only; without the header it simply runs).
 * Used after the membership and parsing stages, so a rejected request never writes a record.
 * `authorize` is the route's authorization for this caller, changing nothing; it rejects with the
 * refusal the caller would get without the key. A route without one never answers a replay.
 */
export const idempotency = (options: {
  authorize?: (request: ParsedRequest) => Promise<void> | void;
  /** The route's `shownOnce` fields. */
  shownOnce?: readonly string[];
}): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: async (request) => {
    const { event, context } = request;
    if (event.requestContext.http.method !== 'POST') return;
    const key = readKey(event);
    if (key === undefined) return;
    const { actor, request: parsed } = context;
    if (!actor || !parsed) throw new Error('idempotency runs after the membership and parsing stages');

    const records = getIdempotencyStore();
    const token = randomUUID();
    const fingerprint = fingerprintOf(event, context.rawBody);
    const owner = { orgId: actor.orgId, sub: actor.sub };
    const lockSeconds = lockSecondsFor(Date.now());
    const claim = await records.claim({
      owner,
      key,
      fingerprint,
      token,
      now: parsed.deps.clock.now(),
      retainSeconds: IDEMPOTENCY_RETAIN_SECONDS,
      lockSeconds,
    });
    if (claim.claimed) {
      held.set(context, { owner, key, token, lockedUntilMs: Date.now() + lockSeconds * 1000 });
      return;
    }
    if (!options.authorize) throw new Error(`${event.routeKey} names no authorize to check a replay with`);
    await options.authorize(parsed);
    if (claim.record.fingerprint !== fingerprint)
      throw new HttpError(
        422,
        'idempotency-key-reused',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    if (claim.record.state === 'completed' && claim.record.response)
      return answerEarly(request, replay(claim.record.response, options.shownOnce ?? []));
    // The record's times are on the same clock as the claim's `now`.
    const waitSeconds = claim.record.lockedUntil - Math.floor(parsed.deps.clock.now().getTime() / 1000);
    if (claim.record.state === 'in-progress' && waitSeconds > 0)
      throw new HttpError(
        409,
        'request-in-progress',
        'A request with this Idempotency-Key is still running; retry after the time Retry-After gives to get its response.',
        undefined,
        waitSeconds,
      );
    // The first attempt ended without an answer and may have been applied: running it again could
    // apply it twice, and its answer is lost.
    throw new HttpError(
      409,
      OUTCOME_UNKNOWN,
      'The first request with this Idempotency-Key may have been applied, but its answer was lost. ' +
        'Look for its result before sending it again with a new key.',
    );
  },
  after: async ({ context, response }) => {
    const claimed = held.get(context);
    if (!claimed || !response) return;
    held.delete(context);
    await getIdempotencyStore().complete(
      claimed.owner,
      claimed.key,
      claimed.token,
      stored(response, options.shownOnce ?? []),
    );
  },
  // Failed requests give the key back, so only successful answers are replayed; a request whose
  // write may have been applied keeps it, marked so that no retry runs it again.
  onError: async (request) => {
    const claimed = held.get(request.context);
    if (!claimed) return;
    held.delete(request.context);
    if (isOutcomeUnknown(request.error)) {
      try {
        await getIdempotencyStore().markUnknown(
          claimed.owner,
          claimed.key,
          claimed.token,
          AbortSignal.timeout(RESERVE_MS / 2),
        );
      } catch {
        // The store still hangs: the record stays in progress, which a retry reads the same way.
      }
      request.error = new HttpError(
        503,
        OUTCOME_UNKNOWN,
        OUTCOME_UNKNOWN_DETAIL,
        undefined,
        Math.max(1, Math.ceil((claimed.lockedUntilMs - Date.now()) / 1000)),
      );
      return;
    }
    try {
      await getIdempotencyStore().release(claimed.owner, claimed.key, claimed.token);
    } catch (error) {
      // The key stays claimed until its lock runs out; the client sees this failure instead.
      request.error = error as Error;
    }
  },
});
