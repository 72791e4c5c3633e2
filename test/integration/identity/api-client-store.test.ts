/**
 * API clients on DynamoDB Local: the record and its binding written and deleted together, the
 * binding read as the caller by the same paths as a member's, and the per-org limit holding under
 * concurrent creates (the provider side is the in-memory fake).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '#domain/deps.ts';
import {
  clientSub,
  createApiClient,
  MAX_API_CLIENTS_PER_ORG,
  revokeApiClient,
} from '#domain/identity/api-clients.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { MemoryClientCredentials } from '#test/support/memory/api-clients.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let deps: Deps & { clientCredentials: MemoryClientCredentials };
let counter = 0;

beforeAll(async () => {
  table = await createTestTable();
  deps = { ...dynamoDeps(table), clientCredentials: new MemoryClientCredentials() };
});

const onboard = async () => {
  const sub = `client-admin-${++counter}`;
  await onboardOrg(deps, {
    name: `Client Org ${counter}`,
    kind: 'partner',
    admin: { sub, email: `${sub}@example.com`, name: 'Admin' },
  });
  const admin = await deps.memberships.getActor(sub);
  if (!admin) throw new Error('admin not stored');
  return admin;
};

describe('DynamoApiClientStore', () => {
  it('stores the client with a binding that reads as its caller, with the request’s items too', async () => {
    const admin = await onboard();
    const { client } = await createApiClient(deps, admin, { name: 'Sync', scopes: ['deals:read'] });
    expect(await deps.apiClients.listByOrg(admin.orgId)).toEqual([client]);
    expect(await deps.apiClients.get(admin.orgId, client.id)).toEqual(client);

    const caller = await deps.memberships.getActor(clientSub(client.clientId));
    expect(caller).toMatchObject({ orgId: admin.orgId, client: { id: client.id, scopes: ['deals:read'] } });
    const read = await deps.deals.readForCaller(clientSub(client.clientId), {});
    expect(read.actor?.client?.id).toBe(client.id);
  });

  it('deletes the record and the binding together; the org may then make another', async () => {
    const admin = await onboard();
    const { client } = await createApiClient(deps, admin, { name: 'Gone', scopes: ['deals:read'] });
    await revokeApiClient(deps, admin, client.id);
    expect(await deps.memberships.getActor(clientSub(client.clientId))).toBeUndefined();
    expect(await deps.apiClients.listByOrg(admin.orgId)).toEqual([]);
    expect(await deps.apiClients.remove(client, clientSub(client.clientId))).toBe('gone');
  });

  it(`keeps at most ${MAX_API_CLIENTS_PER_ORG} under concurrent creates`, async () => {
    const admin = await onboard();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, (_, n) =>
        createApiClient(deps, admin, { name: `c${n}`, scopes: ['deals:read'] }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(
      MAX_API_CLIENTS_PER_ORG,
    );
    expect(await deps.apiClients.listByOrg(admin.orgId)).toHaveLength(MAX_API_CLIENTS_PER_ORG);
  });
});
