import { revokeApiClient } from '#domain/identity/api-clients.ts';
import { memberRoute } from '../route.ts';
import { ApiClientParams } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: 'Revoke an API client',
    description:
      "org-admin (a person). From this moment the client's tokens are refused (401), including those issued before, and it gets no new ones. Another org's client is 404.",
    responses: { 204: null },
    params: ApiClientParams,
  },
  async ({ actor, deps, params }) => {
    await revokeApiClient(deps, actor, params.id);
    return { status: 204 };
  },
);
