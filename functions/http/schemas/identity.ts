/** Request and response shapes of the identity routes (api.md "Identity and administration"). */
import * as z from 'zod';
import type { Actor } from '#domain/actor.ts';
import { CAPABILITIES, type Membership, ORG_KINDS, ROLES } from '#domain/model.ts';
import { Country, Email, Id, PageQuery, PersonName, pageOf, Timestamp } from './common.ts';

export const Sub = z.string().min(1).max(128);
export const Role = z.enum(ROLES);

export const SubParams = z.strictObject({ sub: Sub });

export const ListUsersQuery = z.strictObject({ ...PageQuery });

export const PutUserBody = z.strictObject({
  email: Email,
  name: PersonName,
  roles: z.array(Role).min(1, 'Give at least one role.').max(ROLES.length),
  locations: z.array(Country).max(250),
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

export const MemberView = z.object({
  sub: Sub,
  email: z.string(),
  name: z.string(),
  roles: z.array(Role),
  locations: z.array(Country),
  updatedAt: Timestamp,
});

export const memberView = (membership: Membership): z.infer<typeof MemberView> => ({
  sub: membership.sub,
  email: membership.email,
  name: membership.name,
  roles: membership.roles,
  locations: membership.locations,
  updatedAt: membership.updatedAt,
});

export const MemberPage = pageOf(MemberView);
