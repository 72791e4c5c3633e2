import type { InvitationEmailMark, InvitationEmailWrite } from '#domain/identity/invitation-email.ts';
import type { Membership } from '#domain/identity/model.ts';
import type { AdminCountChange, MembershipStore, MemberWriteOutcome } from '#domain/identity/ports.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { MemberEvent } from '#domain/kernel/events.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import { type MemoryOrgStore, memberKey, pageBySortKey } from './orgs.ts';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * MembershipStore in memory over the members of a MemoryOrgStore (orgs and members live together).
 * Storage and the adapter's atomic conditions only: versions, unbound subs, the admin count.
 */
export class MemoryMembershipStore implements MembershipStore {
  /** The member events written with invitations, in write order. */
  readonly outbox: MemberEvent[] = [];
  private readonly invitationEmails = new Map<string, InvitationEmailMark>();

  constructor(private readonly orgs: MemoryOrgStore) {}

  async getActor(sub: string): Promise<Actor | undefined> {
    return this.orgs.actorOf(sub);
  }

  async get(orgId: string, email: string) {
    const membership = this.orgs.members.get(memberKey(orgId, email));
    return membership ? clone(membership) : undefined;
  }

  async listByOrg(orgId: string, page: PageRequest): Promise<Page<Membership>> {
    const sorted = [...this.orgs.members.values()]
      .filter((member) => member.orgId === orgId)
      .map((member) => [member.email, member] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return pageBySortKey(sorted, page);
  }

  async findInvitations(email: string) {
    const wanted = email.trim().toLowerCase();
    return [...this.orgs.members.values()]
      .filter((member) => member.email === wanted && member.status === 'invited')
      .map(clone);
  }

  async getInvitationEmailMark(orgId: string, email: string): Promise<InvitationEmailMark | undefined> {
    const mark = this.invitationEmails.get(memberKey(orgId, email));
    return mark ? clone(mark) : undefined;
  }

  async invite(
    membership: Membership,
    email?: InvitationEmailWrite,
  ): Promise<'written' | 'exists' | 'stale'> {
    const key = memberKey(membership.orgId, membership.email);
    if (this.orgs.members.has(key)) return 'exists';
    if (email && this.invitationEmails.get(key)?.version !== email.readVersion) return 'stale';
    this.orgs.members.set(key, clone(membership));
    if (email) {
      this.invitationEmails.set(key, clone(email.mark));
      this.outbox.push(clone(email.event));
    }
    return 'written';
  }

  async bind(active: Membership, binding: Actor, admins: AdminCountChange): Promise<'written' | 'stale'> {
    const key = memberKey(active.orgId, active.email);
    const current = this.orgs.members.get(key);
    if (
      current?.status !== 'invited' ||
      current.version !== active.version - 1 ||
      this.orgs.bindings.has(binding.sub)
    ) {
      return 'stale';
    }
    this.orgs.members.set(key, clone(active));
    this.orgs.bindings.set(binding.sub, clone(binding));
    this.moveAdminCount(active.orgId, admins);
    return 'written';
  }

  async update(
    next: Membership,
    binding: Actor | undefined,
    admins: AdminCountChange,
  ): Promise<MemberWriteOutcome> {
    const key = memberKey(next.orgId, next.email);
    if (this.orgs.members.get(key)?.version !== next.version - 1) return 'stale';
    if (!this.moveAdminCount(next.orgId, admins)) return 'last-admin';
    this.orgs.members.set(key, clone(next));
    if (binding) this.orgs.bindings.set(binding.sub, clone(binding));
    return 'written';
  }

  async remove(
    current: Membership,
    boundSub: string | undefined,
    admins: AdminCountChange,
  ): Promise<MemberWriteOutcome> {
    const key = memberKey(current.orgId, current.email);
    if (this.orgs.members.get(key)?.version !== current.version) return 'stale';
    if (!this.moveAdminCount(current.orgId, admins)) return 'last-admin';
    this.orgs.members.delete(key);
    if (boundSub !== undefined) this.orgs.bindings.delete(boundSub);
    return 'written';
  }

  /** The adapter's condition: a `-1` needs more than one admin left. */
  private moveAdminCount(orgId: string, admins: AdminCountChange): boolean {
    const count = this.orgs.adminCounts.get(orgId) ?? 0;
    if (admins < 0 && count <= 1) return false;
    this.orgs.adminCounts.set(orgId, count + admins);
    return true;
  }
}
