import { listApiClients } from '#domain/identity/api-clients.ts';
import { memberRoute } from '../route.ts';
import { ApiClientList, apiClientView } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: "List the org's API clients",
    description: "org-admin (a person). The org's API clients, oldest first, without their secrets.",
    responses: { 200: ApiClientList },
  },
  async ({ actor, deps }) => {
    const clients = await listApiClients(deps, actor);
    const { tokenUrl } = deps.clientCredentials;
    return { status: 200, body: { items: clients.map((client) => apiClientView(client, tokenUrl)) } };
  },
);
