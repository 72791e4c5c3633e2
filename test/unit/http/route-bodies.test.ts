/**
 * Every write route says what body it takes: a schema, or that it takes none. A route that forgot
 * would take any body unchecked and hand it to whatever comes next.
 */
import { describe, expect, it } from 'vitest';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { ROUTES, routeKey } from '#functions/http/routes.ts';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

describe('request bodies in the route table', () => {
  it.each(
    ROUTES.filter((route) => WITH_BODY.has(route.method)).map((route) => [routeKey(route), route] as const),
  )('%s declares its body, or that it takes none', async (_key, route) => {
    const spec = (await loadRouteHandler(route)).route?.spec;
    expect(spec).toBeDefined();
    const declared = [spec?.body !== undefined, spec?.noBody === true];
    expect(declared.filter(Boolean), 'exactly one of `body` and `noBody: true`').toHaveLength(1);
  });

  it.each(
    ROUTES.filter((route) => !WITH_BODY.has(route.method)).map((route) => [routeKey(route), route] as const),
  )('%s has no body schema', async (_key, route) => {
    expect((await loadRouteHandler(route)).route?.spec.body).toBeUndefined();
  });
});
