import type { MiddlewareObj } from '@middy/core';
import { logger } from '../../observability.ts';
import { problemResponse } from '../problem.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

/**
 * Renders every failure as application/problem+json. Only a 500 (a failure nothing anticipated) is
 * logged, and it never shows its cause; a deliberate 503 (`/health`) logs its own cause.
 */
export const problemDetails = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  onError: (request) => {
    const instance = request.event.requestContext?.requestId ?? request.context.awsRequestId ?? 'unknown';
    const response = problemResponse(request.error, instance);
    if (response.statusCode === 500)
      logger.error('request failed', { requestId: instance, error: request.error as Error });
    request.response = response;
  },
});
