/**
 * middy skips every `after` and `onError` hook once a `before` hook answers (an "early response"),
 * so a middleware that must see every response (the request summary, metrics) also registers here,
 * and a middleware that answers early does so through `answerEarly`. Powertools' own middlewares
 * follow the same pattern (`cleanupMiddlewares`).
 */
import type { Request } from '@middy/core';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

type RouteRequestState = Request<HttpEvent, HttpResponse, Error, RouteContext>;
type Finisher = (request: RouteRequestState) => void | Promise<void>;

const finishers = new WeakMap<RouteRequestState, Finisher[]>();

/** Runs `finish` with the early response too, should a later `before` hook answer early. */
export const onEarlyResponse = (request: RouteRequestState, finish: Finisher): void => {
  finishers.set(request, [...(finishers.get(request) ?? []), finish]);
};

/** The value a `before` hook returns to answer now, after the registered finishers saw it. */
export const answerEarly = async (
  request: RouteRequestState,
  response: HttpResponse,
): Promise<HttpResponse> => {
  request.response = response;
  for (const finish of finishers.get(request) ?? []) await finish(request);
  return response;
};
