/**
 * `Idempotency-Key` on POST routes (api.md): scoped to the calling user (org and sub); the same key
 * with the same request within 24 hours answers the first response again (status, headers, body,
 * plus `idempotent-replayed: true`); the same key with another request is a 422; a duplicate that
 * arrives while the first is still running is a 409 `request-in-progress` (retry it shortly).
 * Failed requests (any error) release the key, so only successful answers are replayed. Whenever
 * the key is already taken, the route's own checks run for this caller first: a key never turns a
 * 403/404 into anything else.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ValidationError } from '#domain/errors.ts';
import type { StoredResponse } from '../../adapters/dynamo/idempotency-store.ts';
import { getIdempotencyStore } from '../../composition.ts';
import { HttpError } from '../http-error.ts';
import type { HttpEvent, HttpResponse } from '../route-context.ts';
import { header } from './json-body.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
export const IDEMPOTENCY_RETAIN_SECONDS = 24 * 60 * 60;
/** The API Gateway integration timeout: a claim older than this belongs to a request that died. */
const LOCK_SECONDS = 30;
export const REPLAYED_HEADER = 'idempotent-replayed';

/** Key order and whitespace do not make two bodies different. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, canonical(inner)]),
    );
  return value;
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

const replay = (response: StoredResponse): HttpResponse => ({
  statusCode: response.statusCode,
  headers: { ...response.headers, [REPLAYED_HEADER]: 'true' },
  ...(response.body === undefined ? {} : { body: response.body }),
});

/**
 * Runs `run` at most once per user and key (POST only; without the header it simply runs).
 * Call it after the request is validated, so a rejected request never writes a record. `check`
 * runs the route's authorization for this caller without changing anything; it rejects with the
 * refusal the caller would get without the key.
 */
export const idempotent = async (
  event: HttpEvent,
  scope: { orgId: string; sub: string; now: Date; body: unknown },
  route: { run: () => Promise<HttpResponse>; check: () => Promise<void> },
): Promise<HttpResponse> => {
  const { run } = route;
  if (event.requestContext.http.method !== 'POST') return run();
  const key = readKey(event);
  if (key === undefined) return run();

  const records = getIdempotencyStore();
  const token = randomUUID();
  const fingerprint = fingerprintOf(event, scope.body);
  const owner = { orgId: scope.orgId, sub: scope.sub };
  const claim = await records.claim({
    owner,
    key,
    fingerprint,
    token,
    now: scope.now,
    retainSeconds: IDEMPOTENCY_RETAIN_SECONDS,
    lockSeconds: LOCK_SECONDS,
  });
  if (!claim.claimed) {
    await route.check();
    if (claim.record.fingerprint !== fingerprint)
      throw new HttpError(
        422,
        'idempotency-key-reused',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    if (claim.record.state === 'in-progress' || !claim.record.response)
      throw new HttpError(
        409,
        'request-in-progress',
        'A request with this Idempotency-Key is still running; retry in a moment to get its response.',
      );
    return replay(claim.record.response);
  }

  let response: HttpResponse;
  try {
    response = await run();
  } catch (error) {
    await records.release(owner, key, token);
    throw error;
  }
  await records.complete(owner, key, token, {
    statusCode: response.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, v]) => [name, String(v)])),
    ...(typeof response.body === 'string' ? { body: response.body } : {}),
  });
  return response;
};
