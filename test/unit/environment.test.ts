/** The declaration of each function's environment agrees with what its code reads. */
import { describe, expect, it } from 'vitest';
import {
  checkDeclaredEnvironment,
  EXPIRY_FUNCTION,
  environmentOf,
  FUNCTIONS,
  routeFunction,
} from '#functions/environment.ts';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { functionOfRoute, ROUTES } from '#functions/http/routes.ts';

const takesCursor = (query: unknown): boolean =>
  query !== undefined && 'cursor' in ((query as { shape?: object }).shape ?? {});

describe('function environments', () => {
  it('give the cursor secret to exactly the functions that serve a route whose query takes a cursor', async () => {
    const paging = new Set<string>();
    for (const route of ROUTES) {
      const { route: description } = await loadRouteHandler(route);
      const pages = takesCursor(description?.spec.query);
      expect(route.cursors === true, route.handler).toBe(pages);
      if (pages) paging.add(functionOfRoute(route).id);
    }
    for (const route of ROUTES) {
      const fn = routeFunction(route);
      expect(fn.environment.includes('CURSOR_SECRET_ID'), fn.id).toBe(paging.has(fn.id));
    }
    // Imports every handler module: seconds on a busy machine.
  }, 60_000);

  it('never give the cursor secret to the authorizer, the scheduled jobs, the stream consumers, the export job or the token trigger', () => {
    const background = FUNCTIONS.filter((fn) => !fn.entry.startsWith('functions/http/'));
    expect(background.map((fn) => fn.id).sort()).toEqual([
      'Authorize',
      'DeliverWebhooks',
      'DispatchWebhooks',
      'ExpireInvitations',
      'ExportDeals',
      'SendNotifications',
      'TokenClaims',
    ]);
    for (const fn of background) expect(fn.environment).not.toContain('CURSOR_SECRET_ID');
  });

  it('fail loudly when a declared variable gets no value', () => {
    expect(() => environmentOf(EXPIRY_FUNCTION, { POWERTOOLS_METRICS_NAMESPACE: 'CoSell/test' })).toThrow(
      'ExpireInvitations declares TABLE_NAME',
    );
  });

  it('stop every function at its cold start in Lambda when any declared variable is missing or empty', () => {
    for (const fn of FUNCTIONS) {
      const complete: Record<string, string> = {
        AWS_LAMBDA_FUNCTION_NAME: fn.id,
        ...Object.fromEntries(fn.environment.map((name) => [name, 'set'])),
      };
      expect(() => checkDeclaredEnvironment(fn, complete), fn.id).not.toThrow();
      for (const name of fn.environment) {
        const { [name]: _missing, ...without } = complete;
        expect(() => checkDeclaredEnvironment(fn, without), `${fn.id} without ${name}`).toThrow(
          `Missing environment variable ${name}: ${fn.id} declares it`,
        );
        expect(() => checkDeclaredEnvironment(fn, { ...complete, [name]: '' }), fn.id).toThrow(name);
      }
    }
  });

  it('check nothing outside Lambda: tests import handlers, and the local runtime sets every variable', () => {
    expect(() => checkDeclaredEnvironment(EXPIRY_FUNCTION, {})).not.toThrow();
  });
});
