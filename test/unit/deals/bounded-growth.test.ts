import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal, TeamMember } from '#domain/deals/model.ts';
import { retainedMessages } from '#domain/deals/rules/registration.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { dealHistory, getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { ValidationError } from '#domain/kernel/errors.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const message = (i: number, text = `message ${i}`) => ({
  at: `2026-11-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
  decision: 'action-required' as const,
  text,
});

describe('review messages kept on a deal', () => {
  it('are the most recent 50', () => {
    const all = Array.from({ length: 60 }, (_, i) => message(i));
    expect(retainedMessages(all)).toEqual(all.slice(10));
  });

  it('are fewer when their text would pass 100,000 bytes (three-byte script)', () => {
    const all = Array.from({ length: 50 }, (_, i) => message(i, '語'.repeat(LIMITS.reviewMessage)));
    const kept = retainedMessages(all);
    // 6,000 bytes each: 16 fit in 100,000 bytes, 17 would not.
    expect(kept).toEqual(all.slice(34));
  });

  it('keep all 50 longest Latin messages', () => {
    const all = Array.from({ length: 50 }, (_, i) => message(i, 'x'.repeat(LIMITS.reviewMessage)));
    expect(retainedMessages(all)).toHaveLength(50);
  });
});

describe('registration rounds', () => {
  const registeredCoSellDeal = async (): Promise<{ deal: Deal; hostDeal: Deal }> => {
    const deal = await w.create(w.partner, {
      customer: {
        id: w.customer.id,
        contact: { name: 'Cy', phone: '+49 1', email: 'cy@t.example' },
        consentToShareWithHost: true,
      },
    });
    await inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
    const hostDeal = (await listDeals(w.deps, w.host, { tab: 'inbound' }, { limit: 10 })).items[0]
      ?.deal as Deal;
    await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true });
    return { deal, hostDeal };
  };

  it('refuse a review message over 2,000 characters', async () => {
    const { hostDeal } = await registeredCoSellDeal();
    await expect(
      reviewRegistration(w.deps, w.host, {
        dealId: hostDeal.id,
        orgId: w.partner.orgId,
        decision: 'action-required',
        message: 'x'.repeat(LIMITS.reviewMessage + 1),
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('keep the latest 50 messages on the deal while each history entry holds only its own message', async () => {
    const { deal, hostDeal } = await registeredCoSellDeal();
    for (let round = 1; round <= 55; round++) {
      w.setNow(new Date(Date.UTC(2026, 10, 2, 0, round)).toISOString());
      await reviewRegistration(w.deps, w.host, {
        dealId: hostDeal.id,
        orgId: w.partner.orgId,
        decision: 'action-required',
        message: `round ${round}`,
      });
      await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true, notes: `try ${round}` });
    }
    const stored = (await getVisibleDeal(w.deps, w.partner, deal.id)).deal;
    const texts = stored.registration?.messages.map((m) => m.text);
    expect(texts).toHaveLength(50);
    expect(texts?.[0]).toBe('round 6');
    expect(texts?.at(-1)).toBe('round 55');

    const entries = (await dealHistory(w.deps, w.partner, deal.id, { limit: 100 })).items;
    const [resubmitted, reviewed] = entries;
    expect(resubmitted?.changes).toEqual([
      { field: 'registration.status', from: 'action-required', to: 'submitted' },
      { field: 'registration.submittedAt', from: expect.any(String), to: expect.any(String) },
      { field: 'registration.notes', from: 'try 54', to: 'try 55' },
    ]);
    expect(reviewed?.changes).toEqual([
      { field: 'registration.status', from: 'submitted', to: 'action-required' },
      {
        field: 'registration.messages',
        added: [{ at: expect.any(String), decision: 'action-required', text: 'round 55' }],
      },
    ]);
  });
});

describe('history of collections', () => {
  it('records the team members added and removed, not the whole team before and after', async () => {
    const deal = await w.create(w.partner, {
      team: [
        { name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1234' },
        { name: 'Bob Stays', email: 'bob@fabrikam.example', phone: '+49 30 1' },
      ],
    });
    const [ann, bob] = deal.team as [TeamMember, TeamMember];
    const carl = { name: 'Carl New', email: 'carl@fabrikam.example', phone: '+49 30 2' };
    const team = [ann, carl];
    await updateDeal(w.deps, w.partner, {
      dealId: deal.id,
      team,
      solutions: [w.hostSolution.id, w.partnerSolution.id],
    });
    const [entry] = (await dealHistory(w.deps, w.partner, deal.id, { limit: 1 })).items;
    expect(entry?.changes).toEqual([
      { field: 'team', added: [carl], removed: [bob] },
      { field: 'solutions', added: [w.partnerSolution.id] },
    ]);
  });
});
