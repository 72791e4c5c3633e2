/**
 * The route table: the single source for the CDK HTTP API (one function per route, its authorizer and
 * throttling), the local gateway and the business metric each route counts. `handler` names the
 * module `functions/http/<handler>.ts`, which exports `handler`.
 */
import type { RouteMetric } from '../observability.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type RouteDefinition = {
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  path: string;
  handler: string;
  /**
   * `jwt`: the JWT authorizer must pass first, and the handler is a `memberRoute`; `none`: public,
   * a `publicRoute` (test/unit/http/routes.test.ts holds every handler to this).
   */
  auth: 'jwt' | 'none';
  /** The route pages with signed cursors, so its function gets the cursor secret. */
  cursors?: true;
  /** A per-route limit below the stage's default; the stage settings size each class. */
  throttle?: RouteThrottle;
  /** The business fact a success of this route counts. */
  metric?: RouteMetric;
};

/**
 * `anonymous`: callable by anyone on the internet, so the tightest limit. `costly-write`: a write of
 * several items per transaction (creating a deal).
 */
export const ROUTE_THROTTLES = ['anonymous', 'costly-write'] as const;
export type RouteThrottle = (typeof ROUTE_THROTTLES)[number];

const jwt = (
  method: HttpMethod,
  path: string,
  handler: string,
  extra: Pick<RouteDefinition, 'throttle' | 'metric' | 'cursors'> = {},
): RouteDefinition => ({ method, path, handler, auth: 'jwt', ...extra });

const PAGED = { cursors: true } as const;

const anonymous = (method: HttpMethod, path: string, handler: string): RouteDefinition => ({
  method,
  path,
  handler,
  auth: 'none',
  throttle: 'anonymous',
});

export const ROUTES: readonly RouteDefinition[] = [
  anonymous('GET', '/health', 'operations/health'),
  anonymous('GET', '/openapi.json', 'operations/openapi'),

  jwt('GET', '/v1/me', 'identity/me'),
  jwt('GET', '/v1/org/users', 'identity/list-users', PAGED),
  jwt('POST', '/v1/org/users', 'identity/invite-user'),
  jwt('PATCH', '/v1/org/users/{email}', 'identity/update-user'),
  jwt('DELETE', '/v1/org/users/{email}', 'identity/remove-user'),

  jwt('GET', '/v1/customers', 'directory/find-customers', PAGED),
  jwt('POST', '/v1/customers', 'directory/create-customer'),
  jwt('PATCH', '/v1/customers/{id}', 'directory/correct-customer'),
  jwt('DELETE', '/v1/customers/{id}', 'directory/retire-customer'),
  jwt('GET', '/v1/solutions', 'directory/list-solutions', PAGED),
  jwt('POST', '/v1/solutions', 'directory/create-solution'),
  jwt('PATCH', '/v1/solutions/{id}', 'directory/update-solution'),

  jwt('GET', '/v1/partners', 'insights/search-partners', PAGED),
  jwt('GET', '/v1/contacts/recent', 'insights/recent-contacts'),
  jwt('GET', '/v1/reports/pipeline', 'insights/pipeline-report'),

  jwt('POST', '/v1/deals', 'deals/create', { throttle: 'costly-write', metric: { name: 'DealsCreated' } }),
  jwt('GET', '/v1/deals', 'deals/list', PAGED),
  jwt('GET', '/v1/deals/{id}', 'deals/get'),
  jwt('PATCH', '/v1/deals/{id}', 'deals/update'),
  jwt('POST', '/v1/deals/{id}/stage', 'deals/change-stage'),
  jwt('POST', '/v1/deals/{id}/close', 'deals/close'),
  jwt('POST', '/v1/deals/{id}/invitations', 'deals/invite', { metric: { name: 'InvitationsSent' } }),
  jwt('DELETE', '/v1/deals/{id}/invitations/{orgId}', 'deals/withdraw-invitation'),
  jwt('POST', '/v1/deals/{id}/accept', 'deals/accept', {
    metric: { name: 'InvitationsAnswered', dimensions: { answer: 'accepted' } },
  }),
  jwt('POST', '/v1/deals/{id}/decline', 'deals/decline', {
    metric: { name: 'InvitationsAnswered', dimensions: { answer: 'declined' } },
  }),
  jwt('POST', '/v1/deals/{id}/registration', 'deals/register'),
  jwt('POST', '/v1/deals/{id}/registration/review', 'deals/review-registration'),
  jwt('PUT', '/v1/deals/{id}/favorite', 'deals/mark-favorite'),
  jwt('DELETE', '/v1/deals/{id}/favorite', 'deals/unmark-favorite'),
  jwt('GET', '/v1/deals/{id}/history', 'deals/history', PAGED),
  jwt('POST', '/v1/deals/{id}/attachments', 'attachments/request-upload'),
  jwt('GET', '/v1/deals/{id}/attachments', 'attachments/list'),
  jwt('GET', '/v1/deals/{id}/attachments/{attachmentId}', 'attachments/download'),

  jwt('POST', '/v1/webhooks', 'webhooks/create'),
  jwt('GET', '/v1/webhooks', 'webhooks/list'),
  jwt('GET', '/v1/webhooks/{id}', 'webhooks/get'),
  jwt('PATCH', '/v1/webhooks/{id}', 'webhooks/update'),
  jwt('DELETE', '/v1/webhooks/{id}', 'webhooks/delete'),
  jwt('POST', '/v1/webhooks/{id}/test', 'webhooks/test'),
  jwt('GET', '/v1/webhooks/{id}/deliveries', 'webhooks/deliveries', PAGED),
  jwt('POST', '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', 'webhooks/redeliver'),
  jwt('POST', '/v1/deals/{id}/comments', 'deals/add-comment'),
  jwt('GET', '/v1/deals/{id}/comments', 'deals/comments', PAGED),
];

/** The route key as API Gateway spells it: `METHOD /path`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

const BY_KEY = new Map(ROUTES.map((route) => [routeKey(route), route]));

/** The route-table entry of an event's `routeKey`. */
export const routeByKey = (key: string): RouteDefinition | undefined => BY_KEY.get(key);

/** The handler module's path relative to the repository root, for bundling and local imports. */
export const handlerEntry = (route: RouteDefinition): string => `functions/http/${route.handler}.ts`;

/** A stable, CloudFormation-safe name for a route's function, e.g. `DealsCreate`. */
export const routeFunctionName = (route: RouteDefinition): string =>
  route.handler
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
