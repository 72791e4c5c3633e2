/**
 * The route table: the single source for the CDK HTTP API (one function per route) and the local
 * gateway. `handler` names the module `functions/http/<handler>.ts`, which exports `handler`.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type RouteDefinition = {
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  path: string;
  handler: string;
  /** `jwt`: the JWT authorizer must pass first; `none`: public. */
  auth: 'jwt' | 'none';
  /** The route pages with signed cursors, so its function gets the cursor secret. */
  cursors?: true;
};

const jwt = (
  method: HttpMethod,
  path: string,
  handler: string,
  options: Pick<RouteDefinition, 'cursors'> = {},
): RouteDefinition => ({ method, path, handler, auth: 'jwt', ...options });

const PAGED = { cursors: true } as const;

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', handler: 'operations/health', auth: 'none' },
  { method: 'GET', path: '/openapi.json', handler: 'operations/openapi', auth: 'none' },

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

  jwt('POST', '/v1/deals', 'deals/create'),
  jwt('GET', '/v1/deals', 'deals/list', PAGED),
  jwt('GET', '/v1/deals/{id}', 'deals/get'),
  jwt('PATCH', '/v1/deals/{id}', 'deals/update'),
  jwt('POST', '/v1/deals/{id}/stage', 'deals/change-stage'),
  jwt('POST', '/v1/deals/{id}/close', 'deals/close'),
  jwt('POST', '/v1/deals/{id}/invitations', 'deals/invite'),
  jwt('POST', '/v1/deals/{id}/accept', 'deals/accept'),
  jwt('POST', '/v1/deals/{id}/decline', 'deals/decline'),
  jwt('POST', '/v1/deals/{id}/registration', 'deals/register'),
  jwt('POST', '/v1/deals/{id}/registration/review', 'deals/review-registration'),
  jwt('PUT', '/v1/deals/{id}/favorite', 'deals/mark-favorite'),
  jwt('DELETE', '/v1/deals/{id}/favorite', 'deals/unmark-favorite'),
  jwt('GET', '/v1/deals/{id}/history', 'deals/history', PAGED),
];

/** The handler module's path relative to the repository root, for bundling and local imports. */
export const handlerEntry = (route: RouteDefinition): string => `functions/http/${route.handler}.ts`;

/** A stable, CloudFormation-safe name for a route's function, e.g. `DealsCreate`. */
export const routeFunctionName = (route: RouteDefinition): string =>
  route.handler
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
