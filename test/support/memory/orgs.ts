/**
 * OrgStore and (through `MemoryMembershipStore`) MembershipStore in memory, with the same atomic
 * conditions as the DynamoDB adapter: one host org, a sub bound in one org only, an admin count that
 * a `-1` change never takes below one. The rules that decide the changes live in domain/identity.
 */

import type { Membership, Organization } from '#domain/identity/model.ts';
import type { OrgCreateOutcome, OrgStore } from '#domain/identity/ports.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** A member's identity: its org and its (lower-cased) email. */
export const memberKey = (orgId: string, email: string): string => `${orgId}\n${email.trim().toLowerCase()}`;

/** Pages a sorted list of [sortKey, value] pairs; the page key is the last sort key returned. */
export const pageBySortKey = <T>(sorted: readonly (readonly [string, T])[], page: PageRequest): Page<T> => {
  const after = typeof page.after?.last === 'string' ? page.after.last : undefined;
  const rest = after === undefined ? sorted : sorted.filter(([key]) => key > after);
  const slice = rest.slice(0, page.limit);
  const last = slice.at(-1)?.[0];
  return {
    items: slice.map(([, value]) => clone(value)),
    ...(rest.length > slice.length && last !== undefined ? { next: { last } } : {}),
  };
};

export class MemoryOrgStore implements OrgStore {
  readonly orgs = new Map<string, Organization>();
  /** Members by `memberKey(orgId, email)`; shared with MemoryMembershipStore. */
  readonly members = new Map<string, Membership>();
  /** Active members' subs → what `getActor` answers, as the domain wrote it. */
  readonly bindings = new Map<string, Actor>();
  /** Active org-admins per org, moved only by the changes the domain names. */
  readonly adminCounts = new Map<string, number>();
  /** Makes ping() fail, to test the health route. */
  down = false;

  async get(orgId: string) {
    const org = this.orgs.get(orgId);
    return org ? clone(org) : undefined;
  }

  async getMany(orgIds: readonly string[]) {
    return [...new Set(orgIds)].flatMap((orgId) => {
      const org = this.orgs.get(orgId);
      return org ? [clone(org)] : [];
    });
  }

  async create(org: Organization, admin: Membership, binding: Actor): Promise<OrgCreateOutcome> {
    if (org.kind === 'host' && [...this.orgs.values()].some((other) => other.kind === 'host')) {
      return 'host-exists';
    }
    if (this.bindings.has(binding.sub)) return 'sub-bound';
    if (this.orgs.has(org.id)) return 'exists';
    this.orgs.set(org.id, clone(org));
    this.members.set(memberKey(org.id, admin.email), clone(admin));
    this.bindings.set(binding.sub, clone(binding));
    this.adminCounts.set(org.id, 1);
    return 'written';
  }

  async searchPartners(prefix: string, page: PageRequest) {
    const wanted = prefix.trim().toLowerCase();
    const sorted = [...this.orgs.values()]
      .filter((org) => org.kind === 'partner' && org.name.toLowerCase().startsWith(wanted))
      .map((org) => [`${org.name.toLowerCase()}#${org.id}`, org] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return pageBySortKey(sorted, page);
  }

  async getHost() {
    const host = [...this.orgs.values()].find((org) => org.kind === 'host');
    return host ? clone(host) : undefined;
  }

  async ping() {
    if (this.down) throw new Error('store down');
  }

  /** What the DynamoDB adapter reads in one GetItem: the sub's binding. */
  actorOf(sub: string): Actor | undefined {
    const binding = this.bindings.get(sub);
    return binding ? clone(binding) : undefined;
  }
}
