/**
 * The org in the token, over HTTP on the local runtime: `POST /dev/tokens` runs the user pool's
 * token trigger (in its own worker, with its declared table access), so a token names its holder's
 * org, roles and locations. The list page reads the org it names and confirms the membership in the
 * page's own read: a removed member or a changed role takes effect on the very next request, with the
 * token it already holds.
 */
import { describe, expect, it } from 'vitest';
import { type ApiResponse, fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);

const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

/** How many DynamoDB calls the route's handler made (the local gateway's `Server-Timing`). */
const dynamoCalls = (response: ApiResponse): number => {
  const calls = /dynamodb;[^,]*desc="(\d+) calls"/.exec(String(response.headers['server-timing']))?.[1];
  if (calls === undefined) throw new Error(`no DynamoDB timing in ${response.headers['server-timing']}`);
  return Number(calls);
};

const issue = async (sub: string, email?: string): Promise<string> => {
  const issued = await local.api.anonymous.post('/dev/tokens', { sub, ...(email ? { email } : {}) });
  expect(issued.status).toBe(200);
  return issued.body.token as string;
};

let people = 0;
/** A new Fabrikam member (invited, then accepting with a token issued before they joined). */
const join = async (roles: string[], locations: string[] = []) => {
  const n = ++people;
  const email = `tenant-${n}@fabrikam.example`;
  const sub = `idp|tenant-${n}`;
  const invited = await fabrikam().post('/v1/org/users', { email, name: `Person ${n}`, roles, locations });
  expect(invited.status).toBe(201);
  // Issued before the person joined: it names no org, and still works.
  const before = await issue(sub, email);
  expect(payloadOf(before).org_id).toBeUndefined();
  const { orgIds } = await local.demo();
  const accepted = await local.api.withToken(before).post(`/v1/me/invitations/${orgIds.fabrikam}/accept`, {});
  expect(accepted.status).toBe(200);
  expect((await local.api.withToken(before).get('/v1/me')).status).toBe(200);
  return { sub, email, token: await issue(sub, email) };
};

const ids = (response: ApiResponse) => (response.body.items as { id: string }[]).map((item) => item.id);

describe('the token names its holder’s org, roles and locations', () => {
  it('is what the token trigger found when the token was issued', async () => {
    const demo = await local.demo();
    const { token } = await join(['referral-user'], ['DE', 'AT']);
    expect(payloadOf(token)).toMatchObject({
      org_id: demo.orgIds.fabrikam,
      org_roles: 'referral-user',
      org_locations: 'DE AT',
    });
  });

  it('lists with one Query and one BatchGetItem when the token names the org, and reads the membership first when it names none', async () => {
    const demo = await local.demo();
    const deal = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, { name: 'Tenant list' }));
    expect(deal.status).toBe(201);
    const { sub, email, token } = await join(['referrals-admin']);
    // Warm, as the benchmark measures: the function's solution catalog cache holds the deal's solutions.
    expect((await local.api.withToken(token).get('/v1/deals?view=outbound&limit=25')).status).toBe(200);
    const claimed = await local.api.withToken(token).get('/v1/deals?view=outbound&limit=25');
    expect(claimed.status).toBe(200);
    expect(ids(claimed)).toContain(deal.body.id);
    expect(dynamoCalls(claimed)).toBe(2);

    const unclaimed = await local.signToken({ sub, email, emailVerified: true }, {});
    const read = await local.api.withToken(unclaimed).get('/v1/deals?view=outbound&limit=25');
    expect(read.status).toBe(200);
    expect(dynamoCalls(read)).toBe(3);
    expect(ids(read)).toEqual(ids(claimed));
  });
});

describe('the membership decides, whatever the token still says', () => {
  it('refuses a removed member on the very next request with the token it holds', async () => {
    const demo = await local.demo();
    const deal = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, { name: 'Tenant removal' }));
    expect(deal.status).toBe(201);
    const { email, token } = await join(['referrals-admin']);
    const member = local.api.withToken(token);
    expect(ids(await member.get('/v1/deals?view=outbound&limit=100'))).toContain(deal.body.id);
    expect((await member.get(`/v1/deals/${deal.body.id}`)).status).toBe(200);

    // Another org's open offer keeps the person's sign-in enabled at the identity provider, so what
    // refuses the token below is the membership read with the request, not a disabled user.
    const offer = { email, name: 'Tenant mover', roles: ['referral-user'], locations: ['DE'] };
    expect((await local.api.as(ORGS.northwind.admin.sub).post('/v1/org/users', offer)).status).toBe(201);
    expect((await fabrikam().delete(`/v1/org/users/${encodeURIComponent(email)}`)).status).toBe(204);
    expect(payloadOf(token).org_id).toBe(demo.orgIds.fabrikam);
    expectProblem(await member.get('/v1/deals?view=outbound&limit=100'), 403, 'not-a-member');
    expectProblem(await member.get(`/v1/deals/${deal.body.id}`), 403, 'not-a-member');
  });

  it('narrows a member whose role changed on the very next request with the token it holds', async () => {
    const demo = await local.demo();
    const deal = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, { name: 'Tenant role change' }));
    expect(deal.status).toBe(201);
    const { email, token } = await join(['referrals-admin'], ['DE']);
    const member = local.api.withToken(token);
    expect(ids(await member.get('/v1/deals?view=outbound&limit=100'))).toContain(deal.body.id);

    // Now a referral-user, not on the deal's team: the deal is out of sight at once.
    const changed = await fabrikam().patch(`/v1/org/users/${encodeURIComponent(email)}`, {
      roles: ['referral-user'],
    });
    expect(changed.status).toBe(200);
    expect(payloadOf(token).org_roles).toBe('referrals-admin');
    const narrowed = await member.get('/v1/deals?view=outbound&limit=100');
    expect(narrowed.status).toBe(200);
    expect(ids(narrowed)).not.toContain(deal.body.id);
    expectProblem(await member.get(`/v1/deals/${deal.body.id}`), 404, 'not-found');
  });
});
