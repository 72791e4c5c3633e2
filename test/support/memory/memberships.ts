import type { Actor } from '#domain/actor.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '#domain/errors.ts';
import type { Membership } from '#domain/model.ts';
import type { MembershipStore, Page, PageRequest } from '#domain/ports.ts';
import { type MemoryOrgStore, pageBySortKey } from './orgs.ts';

const lastAdmin = () =>
  new BusinessRuleError('last-admin', 'The organization must keep at least one org-admin.');
const isAdmin = (membership: Membership | undefined) => membership?.roles.includes('org-admin') ?? false;

/** MembershipStore in memory over the members of a MemoryOrgStore (orgs and members live together). */
export class MemoryMembershipStore implements MembershipStore {
  constructor(private readonly orgs: MemoryOrgStore) {}

  private adminCount(orgId: string): number {
    return [...this.orgs.members.values()].filter((member) => member.orgId === orgId && isAdmin(member))
      .length;
  }

  async getActor(sub: string): Promise<Actor | undefined> {
    return this.orgs.actorOf(sub);
  }

  async get(sub: string) {
    const membership = this.orgs.members.get(sub);
    return membership ? structuredClone(membership) : undefined;
  }

  async listByOrg(orgId: string, page: PageRequest): Promise<Page<Membership>> {
    const sorted = [...this.orgs.members.values()]
      .filter((member) => member.orgId === orgId)
      .map((member) => [member.sub, member] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return pageBySortKey(sorted, page);
  }

  async put(membership: Membership) {
    if (!this.orgs.orgs.has(membership.orgId)) throw new NotFoundError('Organization');
    const current = this.orgs.members.get(membership.sub);
    if (current && current.orgId !== membership.orgId) {
      throw new ConflictError('already-exists', `User ${membership.sub} belongs to another organization.`);
    }
    if (isAdmin(current) && !isAdmin(membership) && this.adminCount(membership.orgId) <= 1) throw lastAdmin();
    this.orgs.members.set(membership.sub, structuredClone(membership));
  }

  async remove(orgId: string, sub: string) {
    const current = this.orgs.members.get(sub);
    if (!current || current.orgId !== orgId) throw new NotFoundError('Member');
    if (isAdmin(current) && this.adminCount(orgId) <= 1) throw lastAdmin();
    this.orgs.members.delete(sub);
  }
}
