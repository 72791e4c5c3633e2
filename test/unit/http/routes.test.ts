import { describe, expect, it } from 'vitest';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { ROUTES, routeByKey, routeKey } from '#functions/http/routes.ts';

describe('the route table', () => {
  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s: the handler is a member or person route exactly when the authorizer guards it',
    async (_key, route) => {
      const handler = await loadRouteHandler(route);
      expect(route.auth === 'jwt' ? ['member', 'person'] : ['public']).toContain(handler.route?.auth);
    },
  );

  it('names each route key once, and finds every entry by its key', () => {
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of ROUTES) expect(routeByKey(routeKey(route))).toBe(route);
    expect(routeByKey('GET /v1/nowhere')).toBeUndefined();
  });

  it('throttles every anonymous route as anonymous', () => {
    for (const route of ROUTES.filter((entry) => entry.auth === 'none'))
      expect(route.throttle, routeKey(route)).toBe('anonymous');
  });
});
