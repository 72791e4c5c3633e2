/** Each function of the HTTP API serves exactly its routes of the route table, through its own pipelines. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contextFunction } from '#functions/http/context-function.ts';
import { ORIGIN_HEADER } from '#functions/http/origin-check.ts';
import { functionOfRoute, HTTP_FUNCTIONS, ROUTES, routeKey } from '#functions/http/routes.ts';
import { httpFunctionTableAccess, writesUnscoped } from '#functions/table-access.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the functions of the HTTP API', () => {
  it('serve every route of the table exactly once, GETs that record nothing among the reads', () => {
    const served = HTTP_FUNCTIONS.flatMap((fn) => fn.routes.map(routeKey));
    expect(served.sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const route of ROUTES) {
      const fn = functionOfRoute(route);
      expect(fn.kind, routeKey(route)).toBe(
        route.method === 'GET' && !route.recordsOnRead ? 'reads' : 'writes',
      );
      expect(fn.entry).toBe(`functions/http/${route.handler.split('/')[0]}/${fn.kind}.ts`);
    }
  });

  it.each(HTTP_FUNCTIONS.map((fn) => [fn.id, fn] as const))(
    '%s: its entry module names exactly its routes and loads',
    async (_id, fn) => {
      const module = (await import(`#functions/../${fn.entry}`)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    },
    30_000,
  );

  it('refuses an entry that leaves out one of its routes or names another function’s', () => {
    expect(() => contextFunction('insights', 'reads', {})).toThrow(/missing insights\/search-partners/);
    const handler = { handler: async () => ({ statusCode: 200 }) };
    expect(() =>
      contextFunction('operations', 'reads', {
        'operations/health': handler,
        'operations/openapi': handler,
        'deals/get': handler,
      }),
    ).toThrow(/not its routes deals\/get/);
  });

  it('grant the reads functions no write at all', () => {
    for (const fn of HTTP_FUNCTIONS.filter((candidate) => candidate.kind === 'reads')) {
      const access = httpFunctionTableAccess(fn);
      expect(writesUnscoped(access), fn.id).toBe(false);
      expect(access.scopedWrites, fn.id).toEqual([]);
    }
  });

  it('route a request to its route’s pipeline, by method and path template', async () => {
    const fn = HTTP_FUNCTIONS.find((candidate) => candidate.id === 'OperationsReads')!;
    const seen: string[] = [];
    const handlers = Object.fromEntries(
      fn.routes.map((route) => [
        route.handler,
        {
          handler: async () => {
            seen.push(route.handler);
            return { statusCode: 204 };
          },
        },
      ]),
    );
    const handler = contextFunction('operations', 'reads', handlers);
    // As CloudFront forwards it (test/unit/http/origin-check.test.ts covers the refusals).
    vi.stubEnv('ORIGIN_VERIFY', 'the-distribution-secret');
    const event = (path: string) =>
      ({
        version: '2.0',
        headers: { [ORIGIN_HEADER]: 'the-distribution-secret' },
        requestContext: { http: { method: 'GET', path } },
      }) as never;
    await handler(event('/openapi.json'), {} as never);
    await handler(event('/health'), {} as never);
    expect(seen).toEqual(['operations/openapi', 'operations/health']);
    await expect(async () => handler(event('/v1/deals'), {} as never)).rejects.toThrow(
      /OperationsReads serves no route/,
    );
  });
});
