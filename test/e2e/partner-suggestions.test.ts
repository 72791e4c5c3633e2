/**
 * Partner suggestions over HTTP on the local runtime: answers to invitations teach the ranking,
 * the deal's own org and orgs already invited never appear, reasons never show another org's deals,
 * and the same data gives the same order.
 */
import { describe, expect, it } from 'vitest';
import { type ApiClient, fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);

/** A location and a value band no other file's deals use, so this file's answers decide the rank. */
const LOCATION = 'PT';
const VALUE = { amount: 3_000_000, currency: 'EUR' };
const REASON_CODES = [
  'accepts-similar-deals',
  'declines-similar-deals',
  'responds-quickly',
  'matching-solution',
  'active-in-location',
];

const newDeal = async (name: string, invite?: unknown) => {
  const demo = await local.demo();
  const created = await fabrikam().post(
    '/v1/deals',
    fabrikamDealBody(demo, { name, location: LOCATION, value: VALUE, ...(invite ? { invite } : {}) }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; engagementId: string; name: string };
};

const inboundOf = async (client: ApiClient, engagementId: string) => {
  const page = await client.get('/v1/deals?view=inbound&status=received&limit=100');
  const deal = page.body.items.find((item: { engagementId: string }) => item.engagementId === engagementId);
  expect(deal, `no received deal of engagement ${engagementId}`).toBeDefined();
  return deal as { id: string };
};

type Suggestions = {
  basis: string;
  items: { org: { id: string; name: string }; score: number; reasons: { code: string; text: string }[] }[];
};

const suggestionsFor = async (dealId: string): Promise<Suggestions> => {
  const response = await fabrikam().get(`/v1/deals/${dealId}/partner-suggestions?limit=25&helpType=pricing`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

describe('partner suggestions', () => {
  it('learns from answers: a partner that accepted similar deals ranks above one that declined them as not a fit', async () => {
    const demo = await local.demo();
    const past: { id: string; name: string }[] = [];
    for (const [i, [client, orgId, answer]] of (
      [
        [adatum(), demo.orgIds.adatum, 'accept'],
        [adatum(), demo.orgIds.adatum, 'accept'],
        [northwind(), demo.orgIds.northwind, 'decline'],
        [northwind(), demo.orgIds.northwind, 'decline'],
      ] as const
    ).entries()) {
      const deal = await newDeal(`Suggest past ${i}`, { partners: [{ orgId, helpType: 'pricing' }] });
      past.push(deal);
      const received = await inboundOf(client, deal.engagementId);
      past.push({ id: received.id, name: deal.name });
      const answered =
        answer === 'accept'
          ? await client.post(`/v1/deals/${received.id}/accept`, {
              team: [{ name: 'Adatum Admin', email: ORGS.adatum.admin.email, phone: '+33 1' }],
            })
          : await client.post(`/v1/deals/${received.id}/decline`, { reason: 'not-a-fit' });
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    }

    const target = await newDeal('Suggest target');
    const first = await suggestionsFor(target.id);
    expect(first.basis).toBe('similar-deals');
    const ids = first.items.map((item) => item.org.id);
    expect(ids[0]).toBe(demo.orgIds.adatum);
    const northwindAt = ids.indexOf(demo.orgIds.northwind as string);
    if (northwindAt !== -1) {
      expect(northwindAt).toBeGreaterThan(0);
      expect(first.items[northwindAt]?.reasons.map((r) => r.code)).toContain('declines-similar-deals');
    }
    expect(first.items[0]?.reasons.map((r) => r.code)).toContain('accepts-similar-deals');
    // The deal's own org never appears.
    expect(ids).not.toContain(demo.orgIds.fabrikam);
    // Reasons use the contract's codes and never show another org's deals, customers or counts.
    for (const item of first.items) {
      for (const reason of item.reasons) {
        expect(REASON_CODES).toContain(reason.code);
        for (const deal of past) {
          expect(reason.text).not.toContain(deal.id);
          expect(reason.text).not.toContain(deal.name);
        }
        expect(reason.text).not.toMatch(/Alpine|Ski House|3000000|twice|\b2 deals\b/);
      }
    }
    // The same data gives the same order.
    expect(await suggestionsFor(target.id)).toEqual(first);

    // Once invited, Adatum is no longer suggested for this deal.
    const invited = await fabrikam().post(`/v1/deals/${target.id}/invitations`, {
      partners: [{ orgId: demo.orgIds.adatum, helpType: 'pricing' }],
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(200);
    const after = await suggestionsFor(target.id);
    expect(after.items.map((item) => item.org.id)).not.toContain(demo.orgIds.adatum);
    expect(after.items.map((item) => item.org.id)).not.toContain(demo.orgIds.fabrikam);
    // Five deals, four answers and three rankings: several times the tier's usual request count.
  }, 240_000);

  it("answers another org's deal 404", async () => {
    const deal = await newDeal('Suggest not yours');
    expectProblem(await adatum().get(`/v1/deals/${deal.id}/partner-suggestions`), 404);
  });
});
