/**
 * The HTTP API answers only requests that came through the console's distribution: CloudFront adds
 * a secret header (ORIGIN_HEADER) to every request it forwards, and a request without it, sent
 * straight to the API's own `execute-api` host, is refused before any route runs. An HTTP API can
 * switch that host off only behind a custom domain, which would be another host to reach it by;
 * the header closes both (docs/decisions/0105-api-only-through-the-distribution.md).
 *
 * `ORIGIN_VERIFY` is the header's expected value, or `off` where nothing stands in front of the
 * functions to add it (the local gateway, which is itself the only way in).
 */
import { timingSafeEqual } from 'node:crypto';
import { originVerify } from '../config.ts';
import { HttpError } from './http-error.ts';
import { problemResponse } from './problem.ts';
import type { HttpEvent, HttpResponse } from './route-context.ts';

/** The header CloudFront sets on every request to the API (lower case, as API Gateway passes headers). */
export const ORIGIN_HEADER = 'x-origin-verify';

const matches = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The refusal of a request that did not come through the distribution, or undefined to serve it. */
export const originRefusal = (event: HttpEvent): HttpResponse | undefined => {
  const expected = originVerify();
  if (expected === 'off') return undefined;
  const given = event.headers?.[ORIGIN_HEADER];
  if (given !== undefined && matches(given, expected)) return undefined;
  return problemResponse(
    new HttpError(
      403,
      'forbidden',
      'Call the API through its published URL (the console’s origin, under /v1).',
    ),
    event.rawPath,
  );
};
