/**
 * Request and response shapes of the identity routes (docs/api.md "Identity and administration" and
 * "Members join by their own sign-in").
 */
import * as z from 'zod';
import { MAX_API_CLIENT_NAME } from '#domain/identity/api-clients.ts';
import { type ApiClient, MEMBER_STATUSES, type Membership } from '#domain/identity/model.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { API_SCOPES, CAPABILITIES, ORG_KINDS, ROLES } from '#domain/kernel/actor.ts';
import { Country, Email, Id, PageQuery, PersonName, pageOf, Timestamp } from './common.ts';

export const Sub = z.string().min(1).max(128);
export const Role = z.enum(ROLES);

/** Members are addressed by email; the path segment is URL-encoded (`@` as `%40` or as is). */
export const EmailParams = z.strictObject({ email: Email });

export const ListUsersQuery = z.strictObject({ ...PageQuery });

const Roles = z.array(Role).min(1, 'Give at least one role.').max(ROLES.length);
const Locations = z.array(Country).max(250);

export const InviteUserBody = z.strictObject({
  email: Email,
  name: PersonName,
  roles: Roles,
  locations: Locations,
});

export const UpdateUserBody = z
  .strictObject({ roles: Roles.optional(), locations: Locations.optional() })
  .refine((body) => body.roles !== undefined || body.locations !== undefined, {
    error: 'Give roles, locations or both.',
  });

const OrgView = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  capabilities: z.array(z.enum(CAPABILITIES)),
});

export const Scope = z.enum(API_SCOPES);

const PersonMeView = z.object({
  user: z.object({ sub: Sub, email: z.string(), name: z.string() }),
  org: OrgView,
  roles: z.array(Role),
  locations: z.array(Country),
});

/** An API client's own view of itself: no roles, its scopes say what it may do. */
const ClientMeView = z.object({
  client: z.object({ id: Id, name: z.string(), scopes: z.array(Scope) }),
  org: OrgView,
});

export const MeView = z.union([PersonMeView, ClientMeView]);

export const meView = (actor: Actor): z.infer<typeof MeView> => {
  const org = { id: actor.orgId, name: actor.orgName, kind: actor.orgKind, capabilities: actor.capabilities };
  if (actor.client) return { client: actor.client, org };
  return {
    user: { sub: actor.sub, email: actor.email, name: actor.name },
    org,
    roles: actor.roles,
    locations: actor.locations,
  };
};

export const CreateApiClientBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'Name the client.')
    .max(MAX_API_CLIENT_NAME, `Keep the name to ${MAX_API_CLIENT_NAME} characters.`),
  scopes: z
    .array(Scope, { error: `Give scopes from ${API_SCOPES.join(', ')}.` })
    .min(1, 'Give the client at least one scope.')
    .max(API_SCOPES.length),
});

export const ApiClientParams = z.strictObject({ id: Id });

/** An API client as its org's admins see it: never its secret. */
export const ApiClientView = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(Scope),
  clientId: z.string(),
  tokenUrl: z.string(),
  createdAt: Timestamp,
});

export const CreatedApiClientView = ApiClientView.extend({ clientSecret: z.string() });

export const apiClientView = (client: ApiClient, tokenUrl: string): z.infer<typeof ApiClientView> => ({
  id: client.id,
  name: client.name,
  scopes: client.scopes,
  clientId: client.clientId,
  tokenUrl,
  createdAt: client.createdAt,
});

export const ApiClientList = z.object({ items: z.array(ApiClientView) });

/** A member as its org's admins see it; `invited` until the person's own first sign-in. */
export const MemberView = z.object({
  email: z.string(),
  name: z.string(),
  roles: z.array(Role),
  locations: z.array(Country),
  status: z.enum(MEMBER_STATUSES),
  invitedAt: Timestamp,
  joinedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});

export const memberView = (membership: Membership): z.infer<typeof MemberView> => ({
  email: membership.email,
  name: membership.name,
  roles: membership.roles,
  locations: membership.locations,
  status: membership.status,
  invitedAt: membership.invitedAt,
  joinedAt: membership.joinedAt ?? null,
  updatedAt: membership.updatedAt,
});

export const MemberPage = pageOf(MemberView);
