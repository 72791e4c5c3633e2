/**
 * A secret in an answer is shown once: every route whose success body has a field named like a
 * secret declares it `shownOnce`, so no idempotency record stores it and no replay shows it again.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { ROUTES, routeKey } from '#functions/http/routes.ts';

const fieldsOf = (schema: z.ZodType | null): string[] =>
  schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];

describe('fields shown only once', () => {
  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s declares every secret of its answer shownOnce',
    async (_key, route) => {
      const spec = (await loadRouteHandler(route)).route?.spec;
      const secrets = Object.values(spec?.responses ?? {})
        .flatMap(fieldsOf)
        // A field that holds a secret is named for it (`secret`, `clientSecret`); `…SecretExpiresAt` is a time.
        .filter((field) => /secret$/i.test(field));
      expect(spec?.shownOnce ?? []).toEqual(expect.arrayContaining(secrets));
    },
  );

  it('knows the webhook secret is one', async () => {
    const create = ROUTES.find((route) => routeKey(route) === 'POST /v1/webhooks');
    expect(create).toBeDefined();
    if (create) expect((await loadRouteHandler(create)).route?.spec.shownOnce).toEqual(['secret']);
  });
});
