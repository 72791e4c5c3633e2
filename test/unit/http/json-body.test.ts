/**
 * The body stage's depth bound: JSON nested deeper than `MAX_BODY_DEPTH` never leaves it, measured
 * without recursion so that the measuring itself cannot overflow the stack.
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, MAX_BODY_DEPTH, nestsDeeperThan } from '#functions/http/middleware/json-body.ts';
import type { RouteContext } from '#functions/http/route-context.ts';
import { apiEvent } from '#test/support/http.ts';

const objects = (levels: number): unknown => {
  let value: unknown = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
};
const arrays = (levels: number): unknown => {
  let value: unknown = [];
  for (let level = 1; level < levels; level++) value = [1, value, 'x'];
  return value;
};

const parse = (rawBody: string) => {
  const context = {} as RouteContext;
  const run = () =>
    jsonBody().before?.({
      event: apiEvent({ route: 'POST /v1/deals', sub: 'u', rawBody }),
      context,
      response: undefined,
      error: undefined,
      internal: {},
    } as never);
  return { run, context };
};

describe('how deeply a body may nest', () => {
  it('counts objects and arrays alike, scalars not at all', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan(objects(3), 3)).toBe(false);
    expect(nestsDeeperThan(objects(4), 3)).toBe(true);
    expect(nestsDeeperThan(arrays(4), 3)).toBe(true);
    expect(nestsDeeperThan({ wide: objects(3), deep: [objects(2)] }, 4)).toBe(false);
    expect(nestsDeeperThan({ wide: objects(3), deep: [objects(3)] }, 4)).toBe(true);
  });

  it('measures a million levels without overflowing the stack', () => {
    expect(nestsDeeperThan(objects(1_000_000), MAX_BODY_DEPTH)).toBe(true);
  });

  it(`leaves ${MAX_BODY_DEPTH} levels on the context and refuses one more with a 400 a person reads`, () => {
    const fits = parse(JSON.stringify(objects(MAX_BODY_DEPTH)));
    fits.run();
    expect(fits.context.rawBody).toEqual(objects(MAX_BODY_DEPTH));

    const deeper = parse(JSON.stringify(objects(MAX_BODY_DEPTH + 1)));
    expect(deeper.run).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'body-too-deep',
        message: expect.stringMatching(/^The body nests objects and arrays more than 32 levels deep; .+\.$/),
      }),
    );
    expect(deeper.context.rawBody).toBeUndefined();
  });
});
