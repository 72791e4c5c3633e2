/**
 * The signed-in person of a route that needs no membership (a person's own invitations): the
 * token's claims on `context.person`, nothing read. A member route resolves its caller with
 * `membership` instead.
 */
import type { MiddlewareObj } from '@middy/core';
import { onlyPeople } from '#domain/kernel/actor.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';
import { claimsOf } from './membership.ts';

export const signedIn = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: ({ event, context }) => {
    // A context object may be reused between invocations: nothing of an earlier request may carry over.
    delete context.deps;
    const person = claimsOf(event);
    // A person's own invitations: an API client has none, whatever its scopes.
    if (person.clientId !== undefined) throw onlyPeople();
    context.person = person;
  },
});
