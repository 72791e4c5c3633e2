/**
 * Every POST member route (not a person's own invitation routes, which keep no keys) names its use case's authorization (`authorize` in its spec): an
 * Idempotency-Key replay answers only after it passed for this caller, and a route without one
 * could never answer a replay.
 */
import { describe, expect, it } from 'vitest';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { ROUTES, routeKey } from '#functions/http/routes.ts';

describe('authorization a replay checks', () => {
  it.each(
    ROUTES.filter((route) => route.method === 'POST' && route.auth === 'jwt').map(
      (route) => [routeKey(route), route] as const,
    ),
  )('%s names its authorize', async (_key, route) => {
    const { route: described } = await loadRouteHandler(route);
    // A person's own invitations keep no Idempotency-Key records, so nothing is replayed there.
    if (described?.auth === 'person') return;
    expect(typeof described?.spec.authorize).toBe('function');
  });
});
