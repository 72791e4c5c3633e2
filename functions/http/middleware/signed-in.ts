/**
 * The signed-in person of a route that needs no membership (a person's own invitations): the
 * token's claims on `context.person`, nothing read. A member route resolves its caller with
 * `membership` instead.
 */
import type { MiddlewareObj } from '@middy/core';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';
import { claimsOf } from './membership.ts';

export const signedIn = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: ({ event, context }) => {
    // A context object may be reused between invocations: nothing of an earlier request may carry over.
    delete context.deps;
    context.person = claimsOf(event);
  },
});
