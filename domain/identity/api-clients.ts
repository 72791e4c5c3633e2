/**
 * API clients (docs/api.md "API clients"): machine credentials an org-admin makes for connectors.
 *
 * Rules:
 * - Only a person who is the org's `org-admin` manages its clients; a client never manages clients,
 *   whatever its scopes (403 `insufficient-scope`).
 * - An org holds at most `MAX_API_CLIENTS_PER_ORG`, a condition of the write itself.
 * - A client acts for its org within its scopes: with a deals scope as the org's referrals-admin
 *   (every deal of the org), with `webhooks` as the admin of the org's webhooks. Which operation
 *   needs which scope is `requireScope` (domain/kernel/actor.ts), asked before any use case runs.
 * - Revoking deletes the client's binding first: its next request finds nobody and is refused
 *   (401), even while the identity provider still honours tokens it issued earlier.
 */

import type { Deps } from '../deps.ts';
import {
  type Actor,
  API_SCOPES,
  type ApiScope,
  type Role,
  requirePerson,
  requireRole,
} from '../kernel/actor.ts';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../kernel/errors.ts';
import { isText, unique } from '../kernel/validation.ts';
import type { ApiClient, Organization } from './model.ts';

export const MAX_API_CLIENTS_PER_ORG = 10;
export const MAX_API_CLIENT_NAME = 100;

export type ApiClientDeps = Pick<Deps, 'clock' | 'ids' | 'orgs' | 'apiClients' | 'clientCredentials'>;

/**
 * The caller a client's token names: its own namespace, so no person's subject (the identity
 * provider's) can ever name a client's binding or the other way round.
 */
export const clientSub = (clientId: string): string => `client:${clientId}`;

/** What a client's scopes let it act as, in the rules that speak of roles. */
export const clientRoles = (scopes: readonly ApiScope[]): Role[] => [
  ...(scopes.includes('webhooks') ? (['org-admin'] as const) : []),
  ...(scopes.some((scope) => scope.startsWith('deals:')) ? (['referrals-admin'] as const) : []),
];

/** The caller a client's tokens resolve to on every request (`memberships.getActor`). */
export const clientBinding = (client: ApiClient, org: Organization): Actor => ({
  sub: clientSub(client.clientId),
  email: '',
  name: client.name,
  orgId: org.id,
  orgName: org.name,
  orgKind: org.kind,
  capabilities: org.capabilities,
  roles: clientRoles(client.scopes),
  locations: [],
  client: { id: client.id, name: client.name, scopes: client.scopes },
});

/** A client's token whose client was revoked (or never stored). */
export const revokedClient = () =>
  new UnauthenticatedError('unauthenticated', 'This API client was revoked; ask an org-admin for a new one.');

const requireClientAdmin = (actor: Actor): void => {
  requirePerson(actor);
  requireRole(actor, 'org-admin');
};

/** Who may make an API client: a person who is the org's org-admin (403 otherwise). */
export const authorizeCreateApiClient = (actor: Actor): void => requireClientAdmin(actor);

export type NewApiClient = { name: string; scopes: ApiScope[] };

/** Makes a client of the caller's org; its secret is in the answer and nowhere else. */
export const createApiClient = async (
  deps: ApiClientDeps,
  actor: Actor,
  input: NewApiClient,
): Promise<{ client: ApiClient; clientSecret: string }> => {
  authorizeCreateApiClient(actor);
  const name = input.name.trim();
  const scopes = unique(input.scopes).sort((a, b) => API_SCOPES.indexOf(a) - API_SCOPES.indexOf(b));
  if (!isText(name, MAX_API_CLIENT_NAME))
    throw ValidationError.field('name', `Name the client in 1 to ${MAX_API_CLIENT_NAME} characters.`);
  if (scopes.length === 0) throw ValidationError.field('scopes', 'Give the client at least one scope.');
  const org = await deps.orgs.get(actor.orgId);
  if (!org) throw new NotFoundError('The organization');
  if ((await deps.apiClients.listByOrg(org.id)).length >= MAX_API_CLIENTS_PER_ORG) throw tooMany();

  const { clientId, clientSecret } = await deps.clientCredentials.register({ name, scopes });
  const client: ApiClient = {
    id: deps.ids.next(),
    orgId: org.id,
    name,
    scopes,
    clientId,
    createdAt: deps.clock.now().toISOString(),
  };
  const outcome = await deps.apiClients.create(client, clientBinding(client, org), MAX_API_CLIENTS_PER_ORG);
  if (outcome === 'limit-reached') {
    // A concurrent create took the last place: the provider's client must not outlive the refusal.
    await deps.clientCredentials.revoke(clientId);
    throw tooMany();
  }
  return { client, clientSecret };
};

const tooMany = () =>
  ValidationError.field(
    'name',
    `An organization can have at most ${MAX_API_CLIENTS_PER_ORG} API clients; revoke one before adding another.`,
  );

export const listApiClients = async (deps: Pick<ApiClientDeps, 'apiClients'>, actor: Actor) => {
  requireClientAdmin(actor);
  return deps.apiClients.listByOrg(actor.orgId);
};

/**
 * Revokes a client of the caller's org: its binding goes first (refused from its next request on),
 * then the provider forgets it, so it can get no new token. Another org's client is not found.
 */
export const revokeApiClient = async (deps: ApiClientDeps, actor: Actor, id: string): Promise<void> => {
  requireClientAdmin(actor);
  const client = await deps.apiClients.get(actor.orgId, id);
  if (!client) throw new NotFoundError('The API client');
  await deps.apiClients.remove(client, clientSub(client.clientId));
  await deps.clientCredentials.revoke(client.clientId);
};
