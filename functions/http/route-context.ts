import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Actor } from '#domain/actor.ts';

/** What the middlewares leave on the Lambda context for the route's handler. */
export interface RouteContext extends Context {
  rawBody?: unknown;
  actor?: Actor;
}

/** The API Gateway HTTP API (payload 2.0) event, with the claims its JWT authorizer verified. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};
export type HttpResponse = APIGatewayProxyStructuredResultV2;
