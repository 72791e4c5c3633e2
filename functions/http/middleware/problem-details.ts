import type { MiddlewareObj } from '@middy/core';
import { logger } from '../../observability.ts';
import { problemHeaders, problemResponse, toProblem } from '../problem.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

/** Renders every failure as application/problem+json; only a 500 is logged, and it never shows its cause. */
export const problemDetails = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  onError: (request) => {
    const instance = request.event.requestContext?.requestId ?? request.context.awsRequestId ?? 'unknown';
    const body = toProblem(request.error, instance);
    if (body.status >= 500)
      logger.error('request failed', { requestId: instance, error: request.error as Error });
    request.response = problemResponse(body, problemHeaders(request.error));
  },
});
