/**
 * Request and response shapes of the identity routes (docs/api.md "Identity and administration" and
 * "Joining an organization").
 */
import * as z from 'zod';
import type { InvitationOffer } from '#domain/identity/invitations.ts';
import { MEMBER_STATUSES, type Membership } from '#domain/identity/model.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { CAPABILITIES, ORG_KINDS, ROLES } from '#domain/kernel/actor.ts';
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

export const MeView = z.object({
  user: z.object({ sub: Sub, email: z.string(), name: z.string() }),
  org: z.object({
    id: Id,
    name: z.string(),
    kind: z.enum(ORG_KINDS),
    capabilities: z.array(z.enum(CAPABILITIES)),
  }),
  roles: z.array(Role),
  locations: z.array(Country),
});

export const meView = (actor: Actor): z.infer<typeof MeView> => ({
  user: { sub: actor.sub, email: actor.email, name: actor.name },
  org: { id: actor.orgId, name: actor.orgName, kind: actor.orgKind, capabilities: actor.capabilities },
  roles: actor.roles,
  locations: actor.locations,
});

/**
 * A member as its org's admins see it: `invited` until the person accepts (then `active`) or
 * declines (then `declined`).
 */
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

/** The org whose invitation a person answers. */
export const InvitationParams = z.strictObject({ orgId: Id });

/** One org's offer as the invited person sees it. */
export const InvitationOfferView = z.object({
  orgId: Id,
  orgName: z.string(),
  roles: z.array(Role),
  invitedAt: Timestamp,
});

export const InvitationOffers = z.object({ items: z.array(InvitationOfferView) });

export const invitationOffersView = (offers: InvitationOffer[]): z.infer<typeof InvitationOffers> => ({
  items: offers.map(({ orgId, orgName, roles, invitedAt }) => ({ orgId, orgName, roles, invitedAt })),
});
