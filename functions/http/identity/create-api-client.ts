import { authorizeCreateApiClient, createApiClient } from '#domain/identity/api-clients.ts';
import { memberRoute } from '../route.ts';
import { apiClientView, CreateApiClientBody, CreatedApiClientView } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: 'Make an API client (its secret is shown only here)',
    description:
      'org-admin (a person). Makes a machine credential for a connector, acting for the org within its `scopes`: `deals:read` the GET routes of deals, comments, attachments, customers, partners, solutions and reports; `deals:write` every deal write; `webhooks` the webhook routes. At most 10 per org. The answer carries `clientSecret`, shown only here and never again (an idempotent replay answers without it, header `shown-only-once: clientSecret`). The connector gets tokens at `tokenUrl` with the OAuth 2.0 client-credentials grant: `POST`, form-encoded `grant_type=client_credentials`, HTTP Basic `clientId:clientSecret`.',
    authorize: ({ actor }) => authorizeCreateApiClient(actor),
    responses: { 201: CreatedApiClientView },
    body: CreateApiClientBody,
    shownOnce: ['clientSecret'],
    examples: {
      crmSync: {
        summary: 'A CRM connector that reads deals and receives webhooks',
        value: { name: 'Salesforce sync', scopes: ['deals:read', 'webhooks'] },
      },
    },
  },
  async ({ actor, deps, body }) => {
    const { client, clientSecret } = await createApiClient(deps, actor, body);
    return {
      status: 201,
      body: { ...apiClientView(client, deps.clientCredentials.tokenUrl), clientSecret },
      headers: { location: `/v1/org/api-clients/${client.id}` },
    };
  },
);
