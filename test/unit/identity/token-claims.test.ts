/**
 * The user pool's pre-token-generation trigger: the caller's org, roles and locations go into the
 * token, in the spelling the API reads back (functions/triggers/tenant-claims.ts). It runs with the
 * event the local runtime builds for it, the shape Cognito sends.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeMember, updateMember } from '#domain/identity/members.ts';
import { tenantContext } from '#domain/identity/tenant-context.ts';
import { contextOf } from '#functions/authorizer/authorize.ts';
import { overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { handler } from '#functions/triggers/pre-token-generation.ts';
import { claimedMembership, TENANT_CLAIMS, tenantClaims } from '#functions/triggers/tenant-claims.ts';
import { claimsAdded, preTokenGenerationEvent } from '#infra/local/tokens.ts';
import { addMember } from '#test/support/members.ts';
import { type World, world } from './world.ts';

let w: World;
beforeEach(() => {
  w = world();
  process.env.TABLE_NAME = 'unit-tokens';
  resetConfig();
  resetDeps();
  overrideDeps({ memberships: w.memberships, orgs: w.orgs });
});
afterEach(() => {
  resetDeps();
});

const issue = async (sub: string) =>
  claimsAdded(await handler(preTokenGenerationEvent({ sub }, { audience: 'unit' })));

describe('tenantContext', () => {
  it("is the sub's org, roles and locations, and nothing for a sub that is a member nowhere", async () => {
    const admin = await w.org('Fabrikam');
    expect(await tenantContext(w, admin.sub)).toEqual({
      orgId: admin.orgId,
      roles: ['org-admin'],
      locations: [],
    });
    expect(await tenantContext(w, 'nobody')).toBeUndefined();
  });
});

describe('the pre-token-generation trigger', () => {
  it("adds the member's org, roles and locations as string claims the API reads back", async () => {
    const admin = await w.org('Fabrikam');
    const seller = await addMember(w, admin, {
      sub: 'seller',
      email: 'seller@fabrikam.example',
      name: 'Seller',
      roles: ['referral-user'],
      locations: ['DE', 'FR'],
    });
    const claims = await issue(seller.sub);
    expect(claims).toEqual({
      [TENANT_CLAIMS.orgId]: admin.orgId,
      [TENANT_CLAIMS.roles]: 'referral-user',
      [TENANT_CLAIMS.locations]: 'DE FR',
    });
    expect(claimedMembership(claims)).toEqual({
      orgId: admin.orgId,
      roles: ['referral-user'],
      locations: ['DE', 'FR'],
    });
  });

  it('follows the membership at every issue (a refresh after a role change or a removal)', async () => {
    const admin = await w.org('Fabrikam');
    const email = 'second@fabrikam.example';
    await addMember(w, admin, { sub: 'second', email, name: 'Second', roles: ['org-admin'], locations: [] });
    expect(claimedMembership(await issue('second'))?.roles).toEqual(['org-admin']);
    await updateMember(w, admin, { email, roles: ['referrals-admin'] });
    expect(claimedMembership(await issue('second'))?.roles).toEqual(['referrals-admin']);
    await removeMember(w, admin, { email });
    expect(await issue('second')).toEqual({});
  });

  it('issues a token without claims for a stranger, and when the membership cannot be read', async () => {
    expect(await issue('stranger')).toEqual({});
    overrideDeps({
      memberships: { ...w.memberships, getActor: () => Promise.reject(new Error('table unavailable')) },
    });
    const answer = await handler(preTokenGenerationEvent({ sub: 'anyone' }, { audience: 'unit' }));
    expect(answer.response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({});
  });
});

describe('the claims as the API reads them', () => {
  it('round-trips a membership, and reads a claim this API did not write as none', () => {
    const membership = {
      orgId: 'org-1',
      roles: ['org-admin' as const, 'referrals-admin' as const],
      locations: [],
    };
    expect(claimedMembership(tenantClaims(membership))).toEqual(membership);
    expect(claimedMembership({})).toBeUndefined();
    expect(claimedMembership({ ...tenantClaims(membership), org_roles: 'root' })).toBeUndefined();
    expect(claimedMembership({ ...tenantClaims(membership), org_id: '' })).toBeUndefined();
    expect(claimedMembership({ org_id: 'org-1', org_roles: 'org-admin' })).toBeUndefined();
  });

  it('reach the API unchanged through the Lambda authorizer, which hands every claim on as a string', () => {
    const membership = { orgId: 'org-1', roles: ['referral-user' as const], locations: ['DE', 'FR'] };
    const idToken = { sub: 'seller', email_verified: true, iat: 1, ...tenantClaims(membership) };
    expect(claimedMembership(contextOf(idToken))).toEqual(membership);
    // A member of no location claims an empty string, which still reads as a claim.
    const admin = { orgId: 'org-1', roles: ['org-admin' as const], locations: [] };
    expect(claimedMembership(contextOf({ sub: 'admin', ...tenantClaims(admin) }))).toEqual(admin);
  });
});
