import { beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { suggestPartners } from '#domain/deals/use-cases/suggest-partners.ts';
import {
  addToTally,
  answerSignal,
  DECAY_HALF_LIFE_DAYS,
  decayed,
  featuresOf,
  valueBand,
} from '#domain/insights/signals.ts';
import { rankCandidates, responsivenessScore } from '#domain/insights/suggestions.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { ConflictError, NotFoundError } from '#domain/kernel/errors.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

const DAY = 24 * 3600_000;

describe('answer signals', () => {
  it('bands a value by its order of magnitude in US dollars, at fixed rates', () => {
    expect(valueBand({ amount: 250_000, currency: 'EUR' })).toBe('1e5');
    expect(valueBand({ amount: 99_999, currency: 'USD' })).toBe('1e4');
    expect(valueBand({ amount: 100_000, currency: 'USD' })).toBe('1e5');
    expect(valueBand({ amount: 15_000_000, currency: 'JPY' })).toBe('1e5');
    expect(valueBand({ amount: 0, currency: 'USD' })).toBe('1e0');
    expect(valueBand({ amount: 1000, currency: 'XCD' })).toBeUndefined();
  });

  it("lists a deal's features once each, without help when none is asked", () => {
    expect(
      featuresOf({
        location: 'DE',
        solutions: ['s1', 's2', 's1'],
        kinds: ['partner', 'host', 'host'],
        helpType: 'none',
        value: { amount: 5000, currency: 'USD' },
      }),
    ).toEqual([
      { name: 'location', value: 'DE' },
      { name: 'solution', value: 's1' },
      { name: 'solution', value: 's2' },
      { name: 'kind', value: 'host' },
      { name: 'kind', value: 'partner' },
      { name: 'value', value: '1e3' },
    ]);
  });

  it('halves an answer every half-life, across the turn of a year', () => {
    const at = '2026-12-20T00:00:00.000Z';
    const feature = { name: 'location' as const, value: 'DE' };
    const signal = answerSignal({
      orgId: 'o1',
      deal: { location: 'DE', solutions: [], kinds: [], value: { amount: 1, currency: 'USD' } },
      outcome: 'accepted',
      answeredAt: at,
    });
    const tally = addToTally(addToTally(undefined, signal, feature), signal, feature);
    expect(tally.counts).toEqual({ accepted: 2 });
    expect(decayed(tally, new Date(at)).accepted).toBeCloseTo(2, 10);
    const later = new Date(Date.parse(at) + DECAY_HALF_LIFE_DAYS * DAY);
    expect(decayed(tally, later).accepted).toBeCloseTo(1, 10);
  });
});

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

/** Fabrikam invites `invitee` to a deal like the default one and lets it answer after an hour. */
const answered = async (invitee: Actor, answer: 'accept' | 'not-a-fit' | 'no-capacity') => {
  w.setNow('2026-11-01T09:00:00.000Z');
  const { received } = await w.invited(w.partner, invitee);
  w.setNow('2026-11-01T10:00:00.000Z');
  if (answer === 'accept') await acceptInvitation(w.deps, invitee, { dealId: received.id });
  else await declineInvitation(w.deps, invitee, { dealId: received.id, reason: answer });
  return received;
};

describe('signals are recorded with the answer', () => {
  it('keeps the invitee, the features of the deal it was offered, the outcome and the time', async () => {
    const deals = [
      await answered(w.other, 'accept'),
      await answered(w.assessor, 'not-a-fit'),
      await answered(w.assessor, 'no-capacity'),
    ];
    const signals = w.deps.deals.answerSignals;
    expect(signals.map((s) => [s.orgId, s.outcome])).toEqual([
      [w.other.orgId, 'accepted'],
      [w.assessor.orgId, 'not-a-fit'],
      [w.assessor.orgId, 'declined'],
    ]);
    expect(signals[0]?.features).toEqual([
      { name: 'location', value: 'DE' },
      { name: 'solution', value: w.hostSolution.id },
      { name: 'kind', value: 'host' },
      { name: 'value', value: '1e5' },
    ]);
    expect(signals[0]?.answeredAt).toBe('2026-11-01T10:00:00.000Z');
    // Nothing of the deal beyond its features: no id, customer or amount.
    const stored = JSON.stringify(signals);
    for (const deal of deals) {
      expect(stored).not.toContain(deal.id);
      expect(stored).not.toContain(deal.invitation?.fromDealId);
    }
    expect(stored).not.toMatch(/Tailspin|250000/);
  });

  it('counts an expiry', async () => {
    await w.invited(w.partner, w.other);
    w.setNow(new Date(Date.parse('2026-11-01T09:00:00.000Z') + 15 * DAY).toISOString());
    await expireInvitations(w.deps);
    expect(w.deps.deals.answerSignals.map((s) => [s.orgId, s.outcome])).toEqual([[w.other.orgId, 'expired']]);
  });
});

describe('partner suggestions', () => {
  it('ranks an org that accepted similar deals above one that declined them as not a fit, and says why', async () => {
    await answered(w.other, 'accept');
    await answered(w.other, 'accept');
    await answered(w.assessor, 'not-a-fit');
    await answered(w.assessor, 'not-a-fit');
    const deal = await w.create(w.partner);
    const result = await suggestPartners(w.deps, w.partner, deal.id);
    expect(result.basis).toBe('similar-deals');
    expect(result.items.map((s) => s.org.name)).toEqual(['Adatum', 'Northwind']);
    const [adatum, northwind] = result.items;
    expect(adatum?.reasons.map((r) => r.code)).toEqual([
      'accepts-similar-deals',
      'active-in-location',
      'responds-quickly',
    ]);
    expect(northwind?.reasons.map((r) => r.code)).toEqual(['responds-quickly', 'declines-similar-deals']);
    expect(adatum?.solutions.map((s) => s.name)).toEqual(['Adatum Secure']);
    expect(adatum!.score).toBeGreaterThan(northwind!.score);
    for (const item of result.items) {
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(1);
    }
    // The same data gives the same order and scores.
    expect(await suggestPartners(w.deps, w.partner, deal.id)).toEqual(result);
  });

  it('never suggests the own org nor an org invited to or taking part in the engagement', async () => {
    const created = await w.create(w.partner);
    const before = await suggestPartners(w.deps, w.partner, created.id);
    expect(before.items.map((s) => s.org.id)).not.toContain(w.partner.orgId);
    expect(before.items.map((s) => s.org.id)).toContain(w.other.orgId);
    const { inviteToDeal } = await import('#domain/deals/use-cases/invite.ts');
    await inviteToDeal(w.deps, w.partner, {
      dealId: created.id,
      partners: [{ orgId: w.other.orgId, helpType: 'general' }],
    });
    const after = await suggestPartners(w.deps, w.partner, created.id);
    expect(after.items.map((s) => s.org.id)).not.toContain(w.other.orgId);
    expect(after.items.map((s) => s.org.id)).not.toContain(w.partner.orgId);
  });

  it('falls back to responsiveness on a cold start and says so', async () => {
    const deal = await w.create(w.partner, { location: 'FR' });
    const result = await suggestPartners(w.deps, w.partner, deal.id);
    expect(result.basis).toBe('responsiveness');
    expect(result.items.map((s) => s.org.name).sort()).toEqual(['Adatum', 'Northwind']);
  });

  it("answers another org's deal as not found, and a deal that cannot invite as an invitation would", async () => {
    const deal = await w.create(w.partner);
    await expect(suggestPartners(w.deps, w.other, deal.id)).rejects.toBeInstanceOf(NotFoundError);
    const { received } = await w.invited(w.partner, w.other);
    await expect(suggestPartners(w.deps, w.other, received.id)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('scoring', () => {
  it('orders responsiveness like partner search: faster median first, then answer rate, none last', () => {
    const r = (medianResponseHours: number | null, answerRate: number | null) => ({
      medianResponseHours,
      answerRate,
      answered: 1,
      invitations: 1,
    });
    const scores = [r(1, 0.5), r(4, 1), r(4, 0.5), r(336, 1), r(null, 0)].map(responsivenessScore);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(responsivenessScore(undefined)).toBe(0);
  });

  it('raises an org whose solution the deal names, and breaks ties by org id', () => {
    const { basis, ranked } = rankCandidates({
      candidates: [
        { orgId: 'b', solutions: [{ id: 's-b', name: 'B' }] },
        { orgId: 'a', solutions: [{ id: 's-a', name: 'A' }] },
        { orgId: 'c', solutions: [{ id: 's-c', name: 'C' }] },
      ],
      features: [{ name: 'location', value: 'DE' }],
      dealSolutionIds: ['s-c'],
      tallies: [],
      responsiveness: new Map(),
      now: new Date('2026-11-01T00:00:00.000Z'),
    });
    expect(basis).toBe('responsiveness');
    expect(ranked.map((c) => c.orgId)).toEqual(['c', 'a', 'b']);
    expect(ranked[0]?.reasons).toEqual([
      { code: 'matching-solution', text: 'Offers C, which this deal names.' },
    ]);
  });
});
