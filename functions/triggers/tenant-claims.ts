/**
 * The claims that carry a membership in a token, and their spelling. Cognito's pre-token-generation
 * trigger (version 1) adds only string claims, and the API's Lambda authorizer
 * (functions/authorizer/authorize.ts) hands every claim on as a string, so roles and locations are
 * space-separated, like OAuth's `scope` (neither a role nor an ISO 3166 code holds a space). Written
 * by the trigger (pre-token-generation.ts), read by the API's `claimsOf`
 * (functions/http/middleware/membership.ts) only.
 */
import { type ClaimedMembership, ROLES, type Role } from '#domain/kernel/actor.ts';

export const TENANT_CLAIMS = { orgId: 'org_id', roles: 'org_roles', locations: 'org_locations' } as const;

export const tenantClaims = (membership: ClaimedMembership): Record<string, string> => ({
  [TENANT_CLAIMS.orgId]: membership.orgId,
  [TENANT_CLAIMS.roles]: membership.roles.join(' '),
  [TENANT_CLAIMS.locations]: membership.locations.join(' '),
});

const words = (value: string): string[] => value.split(' ').filter((word) => word !== '');
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The membership a token claims, or undefined when it claims none (or nothing this API wrote). */
export const claimedMembership = (claims: Record<string, unknown>): ClaimedMembership | undefined => {
  const orgId = claims[TENANT_CLAIMS.orgId];
  const roles = claims[TENANT_CLAIMS.roles];
  const locations = claims[TENANT_CLAIMS.locations];
  if (typeof orgId !== 'string' || orgId === '' || typeof roles !== 'string' || typeof locations !== 'string')
    return undefined;
  const roleList = words(roles);
  if (!roleList.every(isRole)) return undefined;
  return { orgId, roles: roleList, locations: words(locations) };
};
