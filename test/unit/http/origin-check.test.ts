/**
 * The HTTP API answers only what the console's distribution forwards: a request without the origin
 * header's value (sent straight to the execute-api host) is refused before any route runs.
 */
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFunction } from '#functions/http/context-function.ts';
import { ORIGIN_HEADER, originRefusal } from '#functions/http/origin-check.ts';
import type { HttpEvent } from '#functions/http/route-context.ts';
import { HTTP_FUNCTIONS } from '#functions/http/routes.ts';

const event = (headers: Record<string, string>): HttpEvent =>
  ({ rawPath: '/v1/me', headers, requestContext: { http: { method: 'GET', path: '/v1/me' } } }) as never;

const previous = process.env.ORIGIN_VERIFY;
afterEach(() => {
  if (previous === undefined) delete process.env.ORIGIN_VERIFY;
  else process.env.ORIGIN_VERIFY = previous;
});

describe('origin check', () => {
  it('serves a request carrying the distribution’s value', () => {
    process.env.ORIGIN_VERIFY = 'the-distribution-secret';
    expect(originRefusal(event({ [ORIGIN_HEADER]: 'the-distribution-secret' }))).toBeUndefined();
  });

  it.each([
    ['no header', {}],
    ['another value', { [ORIGIN_HEADER]: 'a-guess' }],
    ['a prefix of the value', { [ORIGIN_HEADER]: 'the-distribution' }],
  ])('refuses %s with a 403 problem a person can read', (_, headers) => {
    process.env.ORIGIN_VERIFY = 'the-distribution-secret';
    const refusal = originRefusal(event(headers));
    expect(refusal).toMatchObject({
      statusCode: 403,
      headers: { 'content-type': 'application/problem+json' },
    });
    expect(JSON.parse(String(refusal?.body))).toMatchObject({
      status: 403,
      detail: expect.stringContaining('published URL'),
    });
  });

  it('checks nothing where no distribution stands in front (`off`)', () => {
    process.env.ORIGIN_VERIFY = 'off';
    expect(originRefusal(event({}))).toBeUndefined();
  });

  it('refuses to run without the setting', () => {
    delete process.env.ORIGIN_VERIFY;
    expect(() => originRefusal(event({}))).toThrow('Missing environment variable ORIGIN_VERIFY');
  });

  it('runs before a context function routes: no handler sees a refused request', async () => {
    process.env.ORIGIN_VERIFY = 'the-distribution-secret';
    const fn = HTTP_FUNCTIONS.find(
      (candidate) => candidate.context === 'identity' && candidate.kind === 'reads',
    )!;
    const handlers = Object.fromEntries(
      fn.routes.map((route) => [
        route.handler,
        {
          handler: () => {
            throw new Error('a route ran');
          },
        },
      ]),
    );
    const handler = contextFunction('identity', 'reads', handlers);
    const answer = await handler(event({}), {} as Context);
    expect(answer.statusCode).toBe(403);
  });
});
