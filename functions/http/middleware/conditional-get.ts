/**
 * Conditional GET (RFC 9110 §13.1.2): a 200 whose `ETag` matches a tag of the request's
 * `If-None-Match` becomes a 304 without a body, keeping the validators and caching headers. Runs as
 * an `after` hook, so the outer observability middleware still logs and counts the 304.
 */
import type { MiddlewareObj } from '@middy/core';
import { header } from '../headers.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

/** If-None-Match uses the weak comparison: `W/"x"` and `"x"` are the same representation. */
const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');

export const matchesIfNoneMatch = (ifNoneMatch: string, etag: string): boolean => {
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => opaque(candidate) === opaque(etag));
};

/** Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5). */
const KEPT = ['etag', 'cache-control', 'vary', 'expires'];

export const conditionalGet = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  after: (request) => {
    const { response, event } = request;
    const etag = response?.headers?.etag;
    if (response?.statusCode !== 200 || typeof etag !== 'string') return;
    if (event.requestContext.http.method !== 'GET') return;
    const ifNoneMatch = header(event, 'if-none-match');
    if (ifNoneMatch === undefined || !matchesIfNoneMatch(ifNoneMatch, etag)) return;
    request.response = {
      statusCode: 304,
      headers: Object.fromEntries(
        Object.entries(response.headers ?? {}).filter(([name]) => KEPT.includes(name.toLowerCase())),
      ),
    };
  },
});
