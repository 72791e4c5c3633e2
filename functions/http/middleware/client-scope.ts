/**
 * An API client may call a route only with the scope the route table names for it (`scope`): the
 * domain's `requireScope` decides, before the request is parsed or anything is written. People pass
 * through: their rights are their roles, which the use cases check.
 */
import type { MiddlewareObj } from '@middy/core';
import { requireScope } from '#domain/kernel/actor.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';
import { routeByKey } from '../routes.ts';

export const clientScope = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: ({ event, context }) => {
    if (!context.actor?.client) return;
    requireScope(context.actor, routeByKey(event.routeKey)?.scope);
  },
});
