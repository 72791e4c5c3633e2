import { ForbiddenError } from './errors.ts';

/**
 * The kinds of org, their extra capabilities and the member roles: who a caller is, which every
 * context decides by.
 */
export const ORG_KINDS = ['partner', 'host'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const CAPABILITIES = ['solution-assessment'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLES = ['org-admin', 'referrals-admin', 'referral-user'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What an API client (a connector acting for its org, not a person) may be granted: reading deals
 * and the directories they use, changing deals, managing webhooks.
 */
export const API_SCOPES = ['deals:read', 'deals:write', 'webhooks'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The API client behind a caller that is no person. */
export type ClientCaller = { id: string; name: string; scopes: ApiScope[] };

/**
 * The signed-in caller as the use cases see it: identity from the verified token, org and roles
 * from the stored membership (never from token claims). A caller is a person, or an API client
 * (`client` set): a client has no email, its `name` is the client's, and its roles are what its
 * scopes let it act as (domain/identity/api-clients.ts).
 */
export type Actor = {
  sub: string;
  email: string;
  name: string;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  capabilities: Capability[];
  roles: Role[];
  locations: string[];
  /**
   * The version of the stored membership this caller was read from (set by the store): a write
   * decided on this caller is conditioned on the membership still being at it, so a member removed
   * or changed meanwhile cannot complete it.
   */
  membershipVersion?: number;
  /** Set when the caller is an API client rather than a person. */
  client?: ClientCaller;
};

/**
 * What a token says about its holder's membership as it was when the token was issued (the
 * pre-token-generation trigger puts it there): which org to read, and with which scope. A hint,
 * never the authority: a request confirms the membership in its own read.
 */
export type ClaimedMembership = Pick<Actor, 'orgId' | 'roles' | 'locations'>;

export const hasRole = (actor: Pick<Actor, 'roles'>, role: Role): boolean => actor.roles.includes(role);

/** org-admin and referrals-admin see every deal of the org; referral-user only its scoped ones. */
export const seesAllDeals = (actor: Pick<Actor, 'roles'>): boolean =>
  hasRole(actor, 'org-admin') || hasRole(actor, 'referrals-admin');

export const requireRole = (actor: Actor, role: Role): void => {
  if (!hasRole(actor, role)) throw new ForbiddenError('role-required', `This action needs the ${role} role.`);
};

export const requireAnyRole = (actor: Actor): void => {
  if (actor.roles.length === 0) throw new ForbiddenError('role-required', 'Your membership has no role.');
};

export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What a caller needs to use an operation that names `scope` (undefined: people only). A person's
 * rights are its roles alone; a client must hold the scope, whatever its roles say.
 */
/** What an API client hears on a route only people may call. */
export const onlyPeople = () =>
  new ForbiddenError('insufficient-scope', 'Only people may do this; API clients may not.');

export const requireScope = (actor: Actor, scope: ApiScope | 'any' | undefined): void => {
  if (!actor.client || scope === 'any') return;
  if (scope === undefined) throw onlyPeople();
  if (!actor.client.scopes.includes(scope))
    throw new ForbiddenError('insufficient-scope', `This API client lacks the ${scope} scope.`);
};

/** For what only a person may do, whatever scopes a client holds (managing API clients). */
export const requirePerson = (actor: Actor): void => requireScope(actor, undefined);
