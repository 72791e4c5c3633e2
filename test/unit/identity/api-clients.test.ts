import { describe, expect, it } from 'vitest';
import {
  clientRoles,
  clientSub,
  createApiClient,
  listApiClients,
  MAX_API_CLIENTS_PER_ORG,
  revokeApiClient,
} from '#domain/identity/api-clients.ts';
import { signIn } from '#domain/identity/sign-in.ts';
import { requireScope } from '#domain/kernel/actor.ts';
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '#domain/kernel/errors.ts';
import { world } from './world.ts';

describe('API clients', () => {
  it('are made by a person who is org-admin; the provider holds the secret, a binding makes the caller', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const { client, clientSecret } = await createApiClient(w, admin, {
      name: '  CRM sync ',
      scopes: ['webhooks', 'deals:read', 'deals:read'],
    });
    expect(client).toMatchObject({
      name: 'CRM sync',
      scopes: ['deals:read', 'webhooks'],
      orgId: admin.orgId,
    });
    expect(w.clientCredentials.registered.get(client.clientId)?.secret).toBe(clientSecret);
    expect(await listApiClients(w, admin)).toEqual([client]);

    const caller = await signIn(w, { sub: clientSub(client.clientId), clientId: client.clientId });
    expect(caller).toMatchObject({
      orgId: admin.orgId,
      name: 'CRM sync',
      email: '',
      roles: ['org-admin', 'referrals-admin'],
      client: { id: client.id, name: 'CRM sync', scopes: ['deals:read', 'webhooks'] },
    });
  });

  it('never answer a person’s token, and a client never manages clients', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const { client } = await createApiClient(w, admin, { name: 'Sync', scopes: ['deals:read', 'webhooks'] });
    // A person's token naming the client's subject finds nobody.
    expect(await signIn(w, { sub: clientSub(client.clientId) })).toBeUndefined();
    const caller = w.actor(clientSub(client.clientId));
    await expect(
      createApiClient(w, caller, { name: 'Another', scopes: ['deals:read'] }),
    ).rejects.toMatchObject({
      code: 'insufficient-scope',
    });
    await expect(listApiClients(w, caller)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses members who are not org-admins, empty names and no scopes', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await expect(
      createApiClient(w, { ...admin, roles: ['referrals-admin'] }, { name: 'x', scopes: ['deals:read'] }),
    ).rejects.toMatchObject({ code: 'role-required' });
    await expect(createApiClient(w, admin, { name: '  ', scopes: ['deals:read'] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(createApiClient(w, admin, { name: 'x', scopes: [] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(w.clientCredentials.registered.size).toBe(0);
  });

  it(`hold at most ${MAX_API_CLIENTS_PER_ORG} per org`, async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    for (let n = 0; n < MAX_API_CLIENTS_PER_ORG; n++)
      await createApiClient(w, admin, { name: `c${n}`, scopes: ['deals:read'] });
    await expect(
      createApiClient(w, admin, { name: 'one more', scopes: ['deals:read'] }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(w.clientCredentials.registered.size).toBe(MAX_API_CLIENTS_PER_ORG);
  });

  it('once revoked name nobody: the next sign-in of their token is refused as unauthenticated', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const other = await w.org('Northwind');
    const { client } = await createApiClient(w, admin, { name: 'Sync', scopes: ['deals:read'] });
    await expect(revokeApiClient(w, other, client.id)).rejects.toBeInstanceOf(NotFoundError);
    await revokeApiClient(w, admin, client.id);
    expect(w.clientCredentials.registered.has(client.clientId)).toBe(false);
    await expect(
      signIn(w, { sub: clientSub(client.clientId), clientId: client.clientId }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(revokeApiClient(w, admin, client.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('scopes', () => {
  it('decide what a client may do; people pass on their roles', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const { client } = await createApiClient(w, admin, { name: 'Reader', scopes: ['deals:read'] });
    const reader = w.actor(clientSub(client.clientId));
    expect(() => requireScope(reader, 'deals:read')).not.toThrow();
    expect(() => requireScope(reader, 'any')).not.toThrow();
    expect(() => requireScope(reader, 'deals:write')).toThrow(ForbiddenError);
    expect(() => requireScope(reader, undefined)).toThrow('Only people may do this');
    expect(() => requireScope(admin, undefined)).not.toThrow();
    expect(clientRoles(['deals:write'])).toEqual(['referrals-admin']);
    expect(clientRoles(['webhooks'])).toEqual(['org-admin']);
  });
});
