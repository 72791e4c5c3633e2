import { beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { publishSolution, updateSolution } from '#domain/directory/solutions.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { recentContacts } from '#domain/insights/contacts.ts';
import { searchPartners } from '#domain/insights/partners.ts';
import { pipelineReport } from '#domain/insights/pipeline.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

/** Invites `invitee` to a new deal of Fabrikam and lets it answer after `hours`. */
const answerAfter = async (invitee: Actor, hours: number, answer: 'accept' | 'decline') => {
  w.setNow('2026-11-01T09:00:00.000Z');
  const { received } = await w.invited(w.partner, invitee);
  w.setNow(new Date(Date.parse('2026-11-01T09:00:00.000Z') + hours * 3600_000).toISOString());
  if (answer === 'accept') await acceptInvitation(w.deps, invitee, { dealId: received.id });
  else await declineInvitation(w.deps, invitee, { dealId: received.id, reason: 'other' });
};

describe('partner search', () => {
  it('never lists the caller, puts an exact name first, then faster responders, then those without history', async () => {
    const slow = w.other; // Adatum
    await onboardOrg(w.deps, {
      name: 'Adatum Labs',
      kind: 'partner',
      admin: { sub: 'labs-admin', email: 'a@labs.example', name: 'Labs' },
    });
    await onboardOrg(w.deps, {
      name: 'Adatum Fast',
      kind: 'partner',
      admin: { sub: 'fast-admin', email: 'a@fast.example', name: 'Fast' },
    });
    const fast = (await w.deps.memberships.getActor('fast-admin')) as Actor;
    const labs = (await w.deps.memberships.getActor('labs-admin')) as Actor;
    // Outside the co-sell ecosystem until it has a co-sell-ready solution: not listed.
    const draft = await publishSolution(w.deps, labs, { name: 'Labs draft', coSellReady: false });
    await publishSolution(w.deps, fast, { name: 'Fast offer', coSellReady: true });
    expect((await searchPartners(w.deps, w.partner, 'adatum l', { limit: 10 })).items).toEqual([]);
    await updateSolution(w.deps, labs, { id: draft.id, coSellReady: true });
    await answerAfter(slow, 100, 'accept');
    await answerAfter(fast, 2, 'decline');

    const names = async (q: string, actor = w.partner) =>
      (await searchPartners(w.deps, actor, q, { limit: 10 })).items.map((p) => p.org.name);
    expect(await names('adatum')).toEqual(['Adatum', 'Adatum Fast', 'Adatum Labs']);
    expect(await names('adatum f')).toEqual(['Adatum Fast']);
    expect(await names('ADATUM L')).toEqual(['Adatum Labs']);
    expect(await names('fab')).toEqual([]);
    expect(await names('adat', w.other)).toEqual(['Adatum Fast', 'Adatum Labs']);
    const fastView = (await searchPartners(w.deps, w.partner, 'adatum fast', { limit: 1 })).items[0];
    expect(fastView?.responsiveness).toEqual({
      medianResponseHours: 4,
      answerRate: 1,
      answered: 1,
      invitations: 1,
    });
  });

  it('pages through the ranking', async () => {
    await onboardOrg(w.deps, {
      name: 'Zeta',
      kind: 'partner',
      admin: { sub: 'zeta-admin', email: 'a@zeta.example', name: 'Zeta' },
    });
    const zeta = (await w.deps.memberships.getActor('zeta-admin')) as Actor;
    await publishSolution(w.deps, zeta, { name: 'Zeta offer', coSellReady: true });
    const first = await searchPartners(w.deps, w.partner, '', { limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await searchPartners(w.deps, w.partner, '', {
      limit: 2,
      ...(first.next ? { after: first.next } : {}),
    });
    expect(rest.items.map((p) => p.org.id)).not.toContain(first.items[0]?.org.id);
    expect(rest.next).toBeUndefined();
    expect([...first.items, ...rest.items].map((p) => p.org.name).sort()).toEqual([
      'Adatum',
      'Northwind',
      'Zeta',
    ]);
  });
});

describe('recent contacts', () => {
  it('lists distinct team members of the latest deals the caller sees, newest first', async () => {
    const ann = { name: 'Ann', email: 'ann@fabrikam.example', phone: '+1 1' };
    const bob = { name: 'Bob', email: 'bob@fabrikam.example', phone: '+1 2' };
    await w.create(w.partner, { team: [ann] });
    await w.create(w.partner, { team: [bob, { ...ann, email: 'ANN@fabrikam.example' }] });
    await w.create(w.other, { team: [{ name: 'Eve', email: 'eve@adatum.example', phone: '+1 3' }] });
    expect((await recentContacts(w.deps, w.partner, 10)).map((c) => c.name)).toEqual(['Bob', 'Ann']);
    expect(await recentContacts(w.deps, w.partner, 1)).toHaveLength(1);
    const seller = await w.member(w.partner, 'seller', ['referral-user'], ['DE']);
    await w.create(w.partner, { team: [{ name: 'Seller', email: seller.email, phone: '+1 4' }, bob] });
    expect((await recentContacts(w.deps, seller, 10)).map((c) => c.name)).toEqual(['Seller', 'Bob']);
  });
});

describe('the pipeline report', () => {
  it('counts and sums by status and stage, with the win rate and the median answer time', async () => {
    const a = await w.create(w.partner, { value: { amount: 100.1, currency: 'EUR' } });
    const b = await w.create(w.partner, { value: { amount: 200.2, currency: 'EUR' } });
    const c = await w.create(w.partner, { value: { amount: 50, currency: 'USD' } });
    await w.create(w.partner, { value: { amount: 1, currency: 'USD' }, location: 'FR' });
    // Dinars have three decimals: their sum keeps the third one.
    for (const amount of [0.001, 0.002]) await w.create(w.partner, { value: { amount, currency: 'BHD' } });
    await changeStage(w.deps, w.partner, { dealId: a.id, stage: 'proposed' });
    await closeDeal(w.deps, w.partner, { dealId: b.id, outcome: 'won' });
    await closeDeal(w.deps, w.partner, { dealId: c.id, outcome: 'lost', reason: 'no-budget' });
    await answerAfter(w.other, 30, 'accept');

    const report = await pipelineReport(w.deps, w.partner);
    // Accepted: a, the FR deal, the two BHD deals and the deal `answerAfter` created to invite Adatum.
    expect(report.byStatus.accepted).toEqual({ count: 5, value: { EUR: 250_100.1, USD: 1, BHD: 0.003 } });
    expect(report.byStatus.won).toEqual({ count: 1, value: { EUR: 200.2 } });
    expect(report.byStatus.lost).toEqual({ count: 1, value: { USD: 50 } });
    expect(report.byStage.proposed.count).toBe(1);
    expect(report.byStage.won.count).toBe(1);
    expect(report.winRate).toBe(0.5);
    expect(report.truncated).toBe(false);
    expect((await pipelineReport(w.deps, w.other)).medianResponseHours).toBe(48);

    const frSeller = await w.member(w.partner, 'fr-seller', ['referral-user'], ['FR']);
    const scoped = await pipelineReport(w.deps, frSeller);
    expect(scoped.dealsCounted).toBe(0);
    expect(scoped.winRate).toBeNull();
  });
});
