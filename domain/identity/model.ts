/** Records of the identity context (docs/domain.md §1): orgs and their members. */
import type { ApiScope, Capability, OrgKind, Role } from '../kernel/actor.ts';

/** `invited`: an admin named the address; `active`: its owner signed in and is bound by `sub`. */
export const MEMBER_STATUSES = ['invited', 'active'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export type Organization = {
  id: string;
  name: string;
  kind: OrgKind;
  capabilities: Capability[];
  createdAt: string;
  /**
   * How many of its partner solutions are co-sell ready, kept with every solution write: an org with
   * none is outside the co-sell ecosystem, so partner search does not list it (docs/domain.md §8).
   */
  coSellReadySolutions?: number;
};

/**
 * A member of an org, identified within it by its email address (trimmed, lower-cased). An invited
 * member has no `sub` yet; the first sign-in of a token carrying that (verified) email binds it.
 */
export type Membership = {
  email: string;
  orgId: string;
  name: string;
  roles: Role[];
  /** ISO 3166-1 alpha-2 codes; only meaningful for `referral-user`. */
  locations: string[];
  status: MemberStatus;
  /** The identity provider's subject, once the person signed in (status `active`). */
  sub?: string;
  invitedAt: string;
  joinedAt?: string;
  updatedAt: string;
  /** Optimistic concurrency: every write names the version it read. */
  version: number;
};

/**
 * A machine credential of an org (a CRM connector): it acts for the org within its scopes. The
 * identity provider holds its secret (`clientId` is the provider's id of it); the API keeps this
 * record and the binding that makes its tokens a caller.
 */
export type ApiClient = {
  id: string;
  orgId: string;
  name: string;
  scopes: ApiScope[];
  clientId: string;
  createdAt: string;
};
