import type { Context } from 'aws-lambda';
import type { Actor } from '#domain/actor.ts';

/** What the middlewares leave on the Lambda context for the route's handler. */
export interface RouteContext extends Context {
  rawBody?: unknown;
  actor?: Actor;
}
