import type { ApiClient } from '#domain/identity/model.ts';
import type { ApiClientStore, ClientCredentials } from '#domain/identity/ports.ts';
import type { Actor, ApiScope } from '#domain/kernel/actor.ts';
import type { MemoryOrgStore } from './orgs.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** ApiClientStore in memory; the bindings live with the members' (MemoryOrgStore), as in the table. */
export class MemoryApiClientStore implements ApiClientStore {
  readonly clients = new Map<string, ApiClient>();
  constructor(private readonly orgs: MemoryOrgStore) {}

  async listByOrg(orgId: string): Promise<ApiClient[]> {
    return [...this.clients.values()].filter((client) => client.orgId === orgId).map(clone);
  }

  async get(orgId: string, id: string): Promise<ApiClient | undefined> {
    const client = this.clients.get(id);
    return client && client.orgId === orgId ? clone(client) : undefined;
  }

  async create(client: ApiClient, binding: Actor, limit: number): Promise<'written' | 'limit-reached'> {
    if ((await this.listByOrg(client.orgId)).length >= limit) return 'limit-reached';
    this.clients.set(client.id, clone(client));
    this.orgs.bindings.set(binding.sub, clone(binding));
    return 'written';
  }

  async remove(client: ApiClient, bindingSub: string): Promise<'written' | 'gone'> {
    if (!this.clients.delete(client.id)) return 'gone';
    this.orgs.bindings.delete(bindingSub);
    return 'written';
  }
}

/** The identity provider's clients in memory: what was registered and revoked. */
export class MemoryClientCredentials implements ClientCredentials {
  readonly tokenUrl = 'https://auth.example/oauth2/token';
  readonly registered = new Map<string, { name: string; scopes: readonly ApiScope[]; secret: string }>();
  private sequence = 0;

  async register(input: { name: string; scopes: readonly ApiScope[] }) {
    const clientId = `memclient${++this.sequence}`;
    const clientSecret = `secret-${clientId}`;
    this.registered.set(clientId, { ...input, secret: clientSecret });
    return { clientId, clientSecret };
  }

  async revoke(clientId: string): Promise<void> {
    this.registered.delete(clientId);
  }
}
