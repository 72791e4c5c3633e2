/**
 * The route table: the single source for the CDK HTTP API (its routes, authorizer and throttling),
 * the functions that serve them, the local gateway and the business metric each route counts.
 * `handler` names the module `functions/http/<handler>.ts`, which exports `handler`; its folder is
 * the route's bounded context.
 *
 * A context's routes are served by at most two Lambda functions: its reads (GET routes, which hold
 * no write grant) and its writes (every other route, and a GET that
 * records what it learnt). Each function routes its requests with the same table
 * (functions/http/context-function.ts), so a new route adds one API Gateway route, not a function.
 */
import type { ApiScope } from '#domain/kernel/actor.ts';
import type { RouteMetric } from '../observability.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The bounded contexts that serve HTTP routes: the folders of functions/http. */
export const HTTP_CONTEXTS = [
  'operations',
  'identity',
  'directory',
  'insights',
  'deals',
  'attachments',
  'webhooks',
] as const;
export type HttpContext = (typeof HTTP_CONTEXTS)[number];

/** Which of its context's functions serves a route: `reads` never writes what the API owns. */
export type RouteKind = 'reads' | 'writes';

export type RouteDefinition = {
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  path: string;
  handler: string;
  /**
   * `jwt`: the authorizer must accept the bearer token first, and the handler is a `memberRoute`; `none`: public,
   * a `publicRoute` (test/unit/http/routes.test.ts holds every handler to this).
   */
  auth: 'jwt' | 'none';
  /** The route pages with signed cursors, so its function gets the cursor secret. */
  cursors?: true;
  /** A per-route limit below the stage's default; the stage settings size each class. */
  throttle?: RouteThrottle;
  /** The business fact a success of this route counts. */
  metric?: RouteMetric;
  /**
   * A GET that records what it learnt (the attachments' state in the bucket), so it runs with its
   * context's writes.
   */
  recordsOnRead?: true;
  /**
   * What an API client needs to call the route: one of its scopes, or `any` scope at all; without
   * it the route is for people only (403 `insufficient-scope` for a client; domain/kernel/actor.ts).
   */
  scope?: ApiScope | 'any';
  /**
   * What the route asks of the user pool, so its function reaches it: `app-clients` manages API
   * clients' credentials, `users` people's sign-ins (infra/constructs/http-routes.ts grants each).
   */
  identityProvider?: IdentityProviderUse;
  /**
   * The route writes an endpoint's signing secret (a new one, or one still in plaintext), so its
   * function may encrypt with the webhook secrets key (functions/environment.ts `secretsKey`).
   */
  sealsSecrets?: true;
  /** The route hands work to a background function (functions/environment.ts), which it may invoke. */
  startsJobs?: true;
};

export type IdentityProviderUse = 'app-clients' | 'users';

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
  extra: Pick<
    RouteDefinition,
    | 'throttle'
    | 'metric'
    | 'cursors'
    | 'recordsOnRead'
    | 'scope'
    | 'identityProvider'
    | 'sealsSecrets'
    | 'startsJobs'
  > = {},
): RouteDefinition => ({ method, path, handler, auth: 'jwt', ...extra });

const PAGED = { cursors: true } as const;
/** The scopes API clients need (docs/api.md "API clients"). */
const READS = { scope: 'deals:read' } as const;
const WRITES = { scope: 'deals:write' } as const;
const WEBHOOKS = { scope: 'webhooks' } as const;
const SEALS_SECRETS = { ...WEBHOOKS, sealsSecrets: true } as const;
const API_CLIENTS = { identityProvider: 'app-clients' } as const;
const POOL_USERS = { identityProvider: 'users' } as const;

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

  jwt('GET', '/v1/me', 'identity/me', { scope: 'any' }),
  jwt('GET', '/v1/me/invitations', 'identity/my-invitations'),
  jwt('POST', '/v1/me/invitations/{orgId}/accept', 'identity/accept-invitation'),
  jwt('POST', '/v1/me/invitations/{orgId}/decline', 'identity/decline-invitation'),
  jwt('GET', '/v1/org/users', 'identity/list-users', PAGED),
  jwt('POST', '/v1/org/users', 'identity/invite-user', POOL_USERS),
  jwt('PATCH', '/v1/org/users/{email}', 'identity/update-user'),
  jwt('DELETE', '/v1/org/users/{email}', 'identity/remove-user', POOL_USERS),
  jwt('GET', '/v1/org/api-clients', 'identity/list-api-clients', API_CLIENTS),
  jwt('POST', '/v1/org/api-clients', 'identity/create-api-client', API_CLIENTS),
  jwt('DELETE', '/v1/org/api-clients/{id}', 'identity/revoke-api-client', API_CLIENTS),

  jwt('GET', '/v1/customers', 'directory/find-customers', { ...PAGED, ...READS }),
  jwt('POST', '/v1/customers', 'directory/create-customer'),
  jwt('PATCH', '/v1/customers/{id}', 'directory/correct-customer'),
  jwt('DELETE', '/v1/customers/{id}', 'directory/retire-customer'),
  jwt('GET', '/v1/solutions', 'directory/list-solutions', { ...PAGED, ...READS }),
  jwt('POST', '/v1/solutions', 'directory/create-solution'),
  jwt('PATCH', '/v1/solutions/{id}', 'directory/update-solution'),

  jwt('GET', '/v1/partners', 'insights/search-partners', { ...PAGED, ...READS }),
  jwt('GET', '/v1/contacts/recent', 'insights/recent-contacts', READS),
  jwt('GET', '/v1/reports/pipeline', 'insights/pipeline-report', READS),

  jwt('POST', '/v1/deals', 'deals/create', {
    throttle: 'costly-write',
    metric: { name: 'DealsCreated' },
    ...WRITES,
  }),
  jwt('GET', '/v1/deals', 'deals/list', { ...PAGED, ...READS }),
  jwt('POST', '/v1/deals/exports', 'deals/start-export', { startsJobs: true, ...WRITES }),
  jwt('GET', '/v1/deals/exports/{id}', 'deals/export-status', WRITES),
  jwt('GET', '/v1/deals/{id}', 'deals/get', READS),
  jwt('PATCH', '/v1/deals/{id}', 'deals/update', WRITES),
  jwt('POST', '/v1/deals/{id}/stage', 'deals/change-stage', WRITES),
  jwt('POST', '/v1/deals/{id}/close', 'deals/close', WRITES),
  jwt('POST', '/v1/deals/{id}/invitations', 'deals/invite', {
    metric: { name: 'InvitationsSent' },
    ...WRITES,
  }),
  jwt('DELETE', '/v1/deals/{id}/invitations/{orgId}', 'deals/withdraw-invitation', WRITES),
  jwt('POST', '/v1/deals/{id}/accept', 'deals/accept', {
    metric: { name: 'InvitationsAnswered', dimensions: { answer: 'accepted' } },
    ...WRITES,
  }),
  jwt('POST', '/v1/deals/{id}/decline', 'deals/decline', {
    metric: { name: 'InvitationsAnswered', dimensions: { answer: 'declined' } },
    ...WRITES,
  }),
  jwt('POST', '/v1/deals/{id}/registration', 'deals/register', WRITES),
  jwt('POST', '/v1/deals/{id}/registration/review', 'deals/review-registration', WRITES),
  jwt('PUT', '/v1/deals/{id}/favorite', 'deals/mark-favorite', WRITES),
  jwt('DELETE', '/v1/deals/{id}/favorite', 'deals/unmark-favorite', WRITES),
  jwt('PUT', '/v1/deals/{id}/owner', 'deals/assign-owner', WRITES),
  jwt('DELETE', '/v1/deals/{id}/owner', 'deals/unassign-owner', WRITES),
  jwt('GET', '/v1/deals/{id}/owner-candidates', 'deals/owner-candidates', READS),
  jwt('GET', '/v1/deals/{id}/history', 'deals/history', { ...PAGED, ...READS }),
  jwt('GET', '/v1/deals/{id}/partner-suggestions', 'deals/partner-suggestions', READS),
  jwt('POST', '/v1/deals/{id}/attachments', 'attachments/request-upload', WRITES),
  jwt('GET', '/v1/deals/{id}/attachments', 'attachments/list', { recordsOnRead: true, ...READS }),
  jwt('GET', '/v1/deals/{id}/attachments/{attachmentId}', 'attachments/download', {
    recordsOnRead: true,
    ...READS,
  }),

  jwt('POST', '/v1/webhooks', 'webhooks/create', SEALS_SECRETS),
  jwt('GET', '/v1/webhooks', 'webhooks/list', WEBHOOKS),
  jwt('GET', '/v1/webhooks/{id}', 'webhooks/get', WEBHOOKS),
  jwt('PATCH', '/v1/webhooks/{id}', 'webhooks/update', SEALS_SECRETS),
  jwt('DELETE', '/v1/webhooks/{id}', 'webhooks/delete', WEBHOOKS),
  jwt('POST', '/v1/webhooks/{id}/test', 'webhooks/test', WEBHOOKS),
  jwt('POST', '/v1/webhooks/{id}/rotate-secret', 'webhooks/rotate-secret', SEALS_SECRETS),
  jwt('GET', '/v1/webhooks/{id}/deliveries', 'webhooks/deliveries', { ...PAGED, ...WEBHOOKS }),
  jwt('POST', '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', 'webhooks/redeliver', WEBHOOKS),
  jwt('POST', '/v1/deals/{id}/comments', 'deals/add-comment', WRITES),
  jwt('GET', '/v1/deals/{id}/comments', 'deals/comments', { ...PAGED, ...READS }),
];

/** The route key as API Gateway spells it: `METHOD /path`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

const BY_KEY = new Map(ROUTES.map((route) => [routeKey(route), route]));

/** The route-table entry of an event's `routeKey`. */
export const routeByKey = (key: string): RouteDefinition | undefined => BY_KEY.get(key);

/** The handler module's path relative to the repository root, for bundling and local imports. */
export const handlerEntry = (route: RouteDefinition): string => `functions/http/${route.handler}.ts`;

const pascal = (words: string[]): string =>
  words.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');

/** A stable name of a route, e.g. `DealsCreate` (its OpenAPI operation id). */
export const routeOperationId = (route: RouteDefinition): string => pascal(route.handler.split(/[/-]/));

/** The bounded context of a route: its handler's folder. */
export const routeContext = (route: RouteDefinition): HttpContext => {
  const context = route.handler.slice(0, route.handler.indexOf('/'));
  const known = HTTP_CONTEXTS.find((name) => name === context);
  if (!known) throw new Error(`${routeKey(route)}: functions/http/${context} is not a known context`);
  return known;
};

export const routeKind = (route: RouteDefinition): RouteKind =>
  route.method === 'GET' && !route.recordsOnRead ? 'reads' : 'writes';

/** One Lambda function of the HTTP API: a context's reads or its writes. */
export type HttpFunction = {
  /** CloudFormation-safe and stable, e.g. `DealsReads`: the construct id and the local worker's name. */
  id: string;
  context: HttpContext;
  kind: RouteKind;
  /** Its entry module, relative to the repository root. */
  entry: string;
  routes: readonly RouteDefinition[];
};

/** Every function that serves the route table, in the table's order of first appearance. */
export const HTTP_FUNCTIONS: readonly HttpFunction[] = (() => {
  const byId = new Map<string, HttpFunction & { routes: RouteDefinition[] }>();
  for (const route of ROUTES) {
    const context = routeContext(route);
    const kind = routeKind(route);
    const id = pascal([context, kind]);
    const existing = byId.get(id);
    if (existing) existing.routes.push(route);
    else byId.set(id, { id, context, kind, entry: `functions/http/${context}/${kind}.ts`, routes: [route] });
  }
  return [...byId.values()];
})();

/** The function that serves a route. */
export const functionOfRoute = (route: RouteDefinition): HttpFunction => {
  const found = HTTP_FUNCTIONS.find((fn) => fn.routes.includes(route));
  if (!found) throw new Error(`${routeKey(route)} is not in the route table`);
  return found;
};
