import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BusinessRuleError,
  ConflictError,
  type DomainErrorKind,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '#domain/kernel/errors.ts';
import { HttpError } from '#functions/http/http-error.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, problemResponse } from '#functions/http/problem.ts';

/** One example of every domain kind: a new kind fails to compile here until it has a row. */
const EVERY_KIND: Record<DomainErrorKind, [Error, number, string]> = {
  unauthenticated: [new UnauthenticatedError('revoked', 'The client was revoked.'), 401, 'revoked'],
  validation: [ValidationError.field('closeDate', 'Must be today or later.'), 400, 'validation'],
  forbidden: [new ForbiddenError('not-an-admin', 'Only admins may.'), 403, 'not-an-admin'],
  'not-found': [new NotFoundError('The deal'), 404, 'not-found'],
  conflict: [new ConflictError('terminal-deal', 'The deal is closed.'), 409, 'terminal-deal'],
  'precondition-failed': [new PreconditionFailedError(), 412, 'precondition-failed'],
  'business-rule': [new BusinessRuleError('not-eligible', 'Not eligible.'), 422, 'not-eligible'],
  'rate-limited': [new RateLimitedError('invitation-limit', 'Too many.', 3600), 429, 'invitation-limit'],
};

const zodFailure = (() => {
  const result = z.object({ name: z.string() }).safeParse({ name: 1 });
  if (result.success) throw new Error('expected a zod failure');
  return result.error;
})();

const ROWS: [string, unknown, number, string][] = [
  ...Object.entries(EVERY_KIND).map(
    ([kind, [error, status, code]]) =>
      [`domain ${kind}`, error, status, code] as [string, unknown, number, string],
  ),
  ...([400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 503] as const).map(
    (status) =>
      [
        `edge ${status}`,
        new HttpError(status, `edge-${status}`, 'At the edge.'),
        status,
        `edge-${status}`,
      ] as [string, unknown, number, string],
  ),
  ['zod', zodFailure, 400, 'validation'],
  ['anything else', new TypeError('x is undefined'), 500, 'internal'],
  ['a thrown string', 'boom', 500, 'internal'],
];

describe('problemResponse: every failure as problem+json', () => {
  it.each(ROWS)('%s → %i', (_name, error, status, code) => {
    const response = problemResponse(error, 'req-1');
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({
      type: `${PROBLEM_TYPE_BASE}${code}`,
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: 'req-1',
      code,
    });
    expect(body.title).not.toBe('Error');
  });

  it('never shows the cause of a 500', () => {
    const body = JSON.parse(problemResponse(new Error('secret table name t-123'), 'req-1').body);
    expect(JSON.stringify(body)).not.toContain('t-123');
  });

  it('names every offending field of a validation failure', () => {
    expect(JSON.parse(problemResponse(zodFailure, 'r').body).errors).toEqual([
      { path: 'name', message: expect.any(String) },
    ]);
    expect(JSON.parse(problemResponse(EVERY_KIND.validation[0], 'r').body).errors).toEqual([
      { path: 'closeDate', message: 'Must be today or later.' },
    ]);
  });

  it('carries conflict details as extension members and Retry-After when a retry can succeed', () => {
    const taken = new ConflictError('already-exists', 'Taken.', { details: { existingCustomerId: 'c-1' } });
    expect(JSON.parse(problemResponse(taken, 'r').body)).toMatchObject({ existingCustomerId: 'c-1' });
    expect(problemResponse(taken, 'r').headers).not.toHaveProperty('retry-after');
    const busy = new ConflictError('concurrent-update', 'Busy.', { retryAfterSeconds: 1 });
    expect(problemResponse(busy, 'r').headers['retry-after']).toBe('1');
  });

  it('answers a rate limit with 429 and the seconds until it lifts in Retry-After', () => {
    const flooded = problemResponse(new RateLimitedError('invitation-limit', 'Too many.', 3600), 'r');
    expect(flooded.statusCode).toBe(429);
    expect(flooded.headers['retry-after']).toBe('3600');
  });
});
