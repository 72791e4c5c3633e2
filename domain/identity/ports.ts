/** Ports of the identity context: orgs, memberships and the sub bindings that make a caller. */

import type { Actor, ApiScope } from '../kernel/actor.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import type { InvitationEmailMark, InvitationEmailWrite } from './invitation-email.ts';
import type { ApiClient, Membership, Organization } from './model.ts';

/**
 * What creating an org did: `written`; `host-exists` when the installation has its host org
 * already; `sub-bound` when the admin's sub is bound to an org already; `exists` when the org id is
 * taken; `stale` when a concurrent transaction held one of the items.
 */
export type OrgCreateOutcome = 'written' | 'host-exists' | 'sub-bound' | 'exists' | 'stale';

export interface OrgStore {
  get(orgId: string): Promise<Organization | undefined>;
  /** The orgs found among the ids (one read), in no particular order. */
  getMany(orgIds: readonly string[]): Promise<Organization[]>;
  /**
   * Creates the org with its first admin and the admin's sub binding (`binding`, what `getActor`
   * will answer) in one transaction.
   */
  create(org: Organization, admin: Membership, binding: Actor): Promise<OrgCreateOutcome>;
  /** Partner orgs whose lower-cased name starts with `prefix`, in name order. */
  searchPartners(prefix: string, page: PageRequest): Promise<Page<Organization>>;
  /** The one host org of the installation, if it has been onboarded. */
  getHost(): Promise<Organization | undefined>;
  /** Resolves when the store answers a read; rejects otherwise (GET /health). */
  ping(): Promise<void>;
}

/**
 * How a membership write changes the org's count of active org-admins. The domain works it out; a
 * `-1` makes the store condition the write on at least one other active org-admin remaining.
 */
export type AdminCountChange = -1 | 0 | 1;

/**
 * What a conditional membership write did: `written`; `stale` when the member is no longer at the
 * version that was read (or, for a bind, the sub got bound meanwhile); `last-admin` when the write
 * would have left the org without an active org-admin.
 */
export type MemberWriteOutcome = 'written' | 'stale' | 'last-admin';

export interface MembershipStore {
  /** The active membership of `sub` joined with its org (strongly consistent), or undefined. */
  getActor(sub: string): Promise<Actor | undefined>;
  /** The org's member (invited or active) with this normalized email. */
  get(orgId: string, email: string): Promise<Membership | undefined>;
  /** The org's members, invited and active, each with its `status`, in email order. */
  listByOrg(orgId: string, page: PageRequest): Promise<Page<Membership>>;
  /** Every org's pending invitation (status `invited`) of this normalized email, strongly consistent. */
  findInvitations(email: string): Promise<Membership[]>;
  /** When the org last emailed an invitation to this normalized address, if within the hour or so. */
  getInvitationEmailMark(orgId: string, email: string): Promise<InvitationEmailMark | undefined>;
  /**
   * Adds an invitation; `exists` when the org already has a member with that email. With `email`,
   * one transaction also writes its outbox event and the address's next mark, conditioned on the
   * mark still being at `email.readVersion` (absent when undefined); `stale` when it is not.
   */
  invite(membership: Membership, email?: InvitationEmailWrite): Promise<'written' | 'exists' | 'stale'>;
  /**
   * Makes `active.sub` the member, writing its sub binding (what `getActor` answers): one
   * transaction conditioned on the invitation still being at `active.version - 1` and invited, and
   * on the sub being bound nowhere.
   */
  bind(
    active: Membership,
    binding: Actor,
    admins: AdminCountChange,
  ): Promise<Exclude<MemberWriteOutcome, 'last-admin'>>;
  /** Replaces a member that was read at `next.version - 1`, and its sub binding when given. */
  update(next: Membership, binding: Actor | undefined, admins: AdminCountChange): Promise<MemberWriteOutcome>;
  /** Removes a member that was read at `current.version`, and the binding of `boundSub` when given. */
  remove(
    current: Membership,
    boundSub: string | undefined,
    admins: AdminCountChange,
  ): Promise<MemberWriteOutcome>;
}

export interface ApiClientStore {
  /** The org's API clients, oldest first. */
  listByOrg(orgId: string): Promise<ApiClient[]>;
  get(orgId: string, id: string): Promise<ApiClient | undefined>;
  /**
   * Stores the client and its binding (`binding.sub`, what `getActor` answers for its tokens) in
   * one transaction that also counts the org's clients: `limit-reached` when the org holds `limit`.
   */
  create(client: ApiClient, binding: Actor, limit: number): Promise<'written' | 'limit-reached'>;
  /** Deletes the client and its binding (its tokens name nobody from then on); `gone` when absent. */
  remove(client: ApiClient, bindingSub: string): Promise<'written' | 'gone'>;
}

/**
 * The identity provider's side of API clients: it holds each client's secret and issues its tokens
 * (the OAuth 2.0 client-credentials grant at `tokenUrl`).
 */
export interface ClientCredentials {
  readonly tokenUrl: string;
  /** A new confidential client allowed `scopes`; its secret is never stored by the API. */
  register(input: { name: string; scopes: readonly ApiScope[] }): Promise<{
    clientId: string;
    clientSecret: string;
  }>;
  /** Removes the client from the provider; a client it does not know counts as removed. */
  revoke(clientId: string): Promise<void>;
}

/**
 * The identity provider's side of people: the sign-in each invited address needs, and ending a
 * removed member's sessions. The username is the normalized email. Every call is idempotent, so a
 * use case may repeat it; an installation whose people sign in elsewhere does nothing here.
 */
export interface IdentityProvider {
  /**
   * Makes sure `email` can sign in: creates the user (email verified; the provider sends its own
   * invitation with a temporary password) or, when one exists already, enables it again.
   */
  ensureUser(email: string, name: string): Promise<void>;
  /** Ends every session of the user: its refresh tokens stop working. Unknown users count as done. */
  signOutEverywhere(email: string): Promise<void>;
  /** Refuses the user's sign-ins (and locally its tokens) until `ensureUser` again. */
  disable(email: string): Promise<void>;
}
