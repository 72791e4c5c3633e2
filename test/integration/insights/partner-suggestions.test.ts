import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import type { Deps } from '#domain/deps.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { signalKeys } from '#functions/adapters/dynamo/keys.ts';
import { getDeps, overrideDeps } from '#functions/composition/deps.ts';
import { handler as suggestions } from '#functions/http/deals/partner-suggestions.ts';
import { PartnerSuggestionsResponse } from '#functions/http/schemas/insights.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { seedWorld, settableClock, type World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';

let w: World;
let deps: Deps;
let table: Awaited<ReturnType<typeof wireHandlersToTestTable>>;
beforeAll(async () => {
  table = await wireHandlersToTestTable();
  const clock = settableClock();
  overrideDeps({ clock });
  w = await seedWorld(getDeps(), clock.set);
  deps = getDeps();
});

const signalItem = async (feature: string, value: string, orgId: string) =>
  (
    await table.db.send(
      new GetCommand({
        TableName: table.tableName,
        Key: signalKeys.item(feature, value, orgId),
        ConsistentRead: true,
      }),
    )
  ).Item;

/** A new deal of Fabrikam in `location`, with `invitee` invited; the invitee's received deal. */
const invitedIn = async (location: string, invitee: Actor): Promise<Deal> => {
  w.setNow('2026-11-01T09:00:00.000Z');
  const created = await createDeal(deps, w.partner, w.input({ location }));
  const { deal } = await inviteToDeal(deps, w.partner, {
    dealId: created.id,
    partners: [{ orgId: invitee.orgId, helpType: 'technical' }],
  });
  return (await deps.deals.get(invitee.orgId, deal.participants[invitee.orgId]!.dealId, invitee.sub))!.deal;
};

describe('answer signals on DynamoDB Local', () => {
  it("writes the signal tallies in the answer's transaction: concurrent answers all count, a lost race none", async () => {
    const received = await Promise.all([1, 2, 3].map(() => invitedIn('AT', w.other)));
    w.setNow('2026-11-01T10:00:00.000Z');
    await Promise.all(received.map((deal) => acceptInvitation(deps, w.other, { dealId: deal.id })));
    const location = await signalItem('location', 'AT', w.other.orgId);
    expect(location).toMatchObject({
      type: 'AnswerSignal',
      orgId: w.other.orgId,
      feature: 'location',
      featureValue: 'AT',
      c_accepted: 3,
      lastAnsweredAt: '2026-11-01T10:00:00.000Z',
    });
    expect(location?.w_accepted_2026).toBeGreaterThan(3);
    for (const [feature, value] of [
      ['solution', w.hostSolution.id],
      ['kind', 'host'],
      ['help', 'technical'],
      ['value', '1e5'],
    ] as const) {
      expect(await signalItem(feature, value, w.other.orgId)).toMatchObject({
        c_accepted: expect.any(Number),
      });
    }
    // Only the org's own counts: no deal, customer or amount of the answered deal.
    const text = JSON.stringify(location);
    for (const deal of received) expect(text).not.toContain(deal.id);
    expect(text).not.toMatch(/Tailspin|250000/);

    // An accept and a decline of one invitation race: one wins, and only its outcome is counted.
    const racing = await invitedIn('CH', w.assessor);
    w.setNow('2026-11-01T11:00:00.000Z');
    const outcomes = await Promise.allSettled([
      acceptInvitation(deps, w.assessor, { dealId: racing.id }),
      declineInvitation(deps, w.assessor, { dealId: racing.id, reason: 'not-a-fit' }),
    ]);
    const stored = (await deps.deals.get(w.assessor.orgId, racing.id, w.assessor.sub))!.deal;
    const item = await signalItem('location', 'CH', w.assessor.orgId);
    const counted = stored.status === 'accepted' ? 'c_accepted' : 'c_not-a-fit';
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect(item?.[counted]).toBe(1);
    expect(Object.keys(item ?? {}).filter((name) => name.startsWith('c_'))).toEqual([counted]);
  });
});

describe('GET /v1/deals/{id}/partner-suggestions on DynamoDB Local', () => {
  it('ranks the partner that accepted deals like this one first, and explains it', async () => {
    const deal = await createDeal(deps, w.partner, w.input({ location: 'AT' }));
    const response = await invoke(suggestions, {
      route: 'GET /v1/deals/{id}/partner-suggestions',
      sub: w.partner.sub,
      params: { id: deal.id },
      query: { limit: '5', helpType: 'technical' },
    });
    expect(response.status).toBe(200);
    const body = PartnerSuggestionsResponse.parse(response.body);
    expect(body.basis).toBe('similar-deals');
    expect(body.items[0]).toMatchObject({
      org: { id: w.other.orgId, name: 'Adatum' },
      reasons: expect.arrayContaining([expect.objectContaining({ code: 'accepts-similar-deals' })]),
      solutions: [expect.objectContaining({ name: 'Adatum Secure' })],
    });
    expect(body.items.map((item) => item.org.id)).not.toContain(w.partner.orgId);
  });

  it("answers another org's deal 404, a bad limit 400, a deal that cannot invite 409", async () => {
    const deal = await createDeal(deps, w.partner, w.input());
    const call = (sub: string, id: string, query: Record<string, string> = {}) =>
      invoke(suggestions, { route: 'GET /v1/deals/{id}/partner-suggestions', sub, params: { id }, query });
    expect((await call(w.other.sub, deal.id)).status).toBe(404);
    expect((await call(w.partner.sub, deal.id, { limit: '0' })).status).toBe(400);
    const received = await invitedIn('DE', w.other);
    expect((await call(w.other.sub, received.id)).status).toBe(409);
  });
});
