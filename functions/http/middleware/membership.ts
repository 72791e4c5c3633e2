/**
 * Resolves the verified token to a membership: the sub's, or the invitation its verified email claim
 * opens (domain/identity/sign-in.ts). Roles never come from claims. Leaves the caller on
 * `context.actor` and from then on logs with its org.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Actor } from '#domain/actor.ts';
import { signIn } from '#domain/identity/sign-in.ts';
import { getDeps } from '../../composition.ts';
import { HttpError } from '../http-error.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';
import { logWithOrg } from './observability.ts';

/** API Gateway hands every claim on as a string: `email_verified: false` arrives as "false". */
const claimIsFalse = (value: unknown): boolean => value === false || value === 'false';

const resolveActor = async (event: HttpEvent): Promise<Actor> => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '') {
    throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
  }
  const actor = await signIn(getDeps(), {
    sub,
    ...(typeof email === 'string' && email !== '' ? { email } : {}),
    emailVerified: !claimIsFalse(claims.email_verified),
  });
  if (!actor) throw new HttpError(403, 'not-a-member', 'Your account is not a member of any organization.');
  return actor;
};

export const membership = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: async ({ event, context }) => {
    const actor = await resolveActor(event);
    context.actor = actor;
    logWithOrg(actor);
  },
});
