import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { ForbiddenError } from '#domain/kernel/errors.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const coSellDeal = async (solutions?: string[]) => {
  const deal = await w.create(w.partner, {
    customer: {
      id: w.customer.id,
      contact: { name: 'Cy', phone: '+49 1', email: 'cy@t.example' },
      consentToShareWithHost: true,
    },
    ...(solutions ? { solutions } : {}),
  });
  await inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
  const hostDeal = (await listDeals(w.deps, w.host, { tab: 'inbound' }, { limit: 10 })).items[0]
    ?.deal as Deal;
  return { deal, hostDeal };
};

const view = (actor: Actor, id: string) => getVisibleDeal(w.deps, actor, id);
const register = (id: string) => registerDeal(w.deps, w.partner, { dealId: id, contractSigned: true });
const review = (
  hostDealId: string,
  decision: 'in-review' | 'action-required' | 'approved' | 'rejected',
  message?: string,
) =>
  reviewRegistration(w.deps, w.host, {
    dealId: hostDealId,
    orgId: w.partner.orgId,
    decision,
    ...(message ? { message } : {}),
  });

describe('registration eligibility on every deal', () => {
  it('is never met by a private deal, and lists every unmet condition', async () => {
    const deal = await w.create(w.partner, { solutions: [w.partnerSolution.id] });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    expect((await view(w.partner, deal.id)).registration).toEqual({
      eligible: false,
      unmet: ['host-not-invited', 'no-incentive-eligible-solution'],
      status: 'none',
      messages: [],
    });
    await expect(register(deal.id)).rejects.toMatchObject({ code: 'not-eligible' });
  });

  it('is met once the host engaged, an incentive-eligible solution is on it, and it is won', async () => {
    const { deal, hostDeal } = await coSellDeal();
    expect((await view(w.partner, deal.id)).registration.unmet).toEqual(['host-not-engaged', 'not-won']);
    await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id });
    expect((await view(w.partner, deal.id)).registration.unmet).toEqual(['not-won']);
    await expect(register(deal.id)).rejects.toMatchObject({ code: 'invalid-transition' });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    expect((await view(w.partner, deal.id)).registration).toMatchObject({ eligible: true, unmet: [] });
  });

  it('follows the catalog: a solution that loses its incentive flag unmeets the condition', async () => {
    const { deal } = await coSellDeal();
    await w.deps.solutions.update(
      { ...w.hostSolution, incentiveEligible: false, updatedAt: 'later' },
      w.hostSolution.updatedAt,
      0,
    );
    expect((await view(w.partner, deal.id)).registration.unmet).toContain('no-incentive-eligible-solution');
  });
});

describe('registering and reviewing', () => {
  it('walks submitted → in review → action required → submitted again → approved → closed and immutable', async () => {
    const { deal, hostDeal } = await coSellDeal();
    await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });

    const submitted = await register(deal.id);
    expect(submitted.registration.status).toBe('submitted');
    expect(submitted.deal.status).toBe('won');
    await expect(register(deal.id)).rejects.toMatchObject({ code: 'invalid-transition' });
    const hostView = await view(w.host, hostDeal.id);
    expect(hostView.deal.participants[w.partner.orgId]?.registration?.status).toBe('submitted');

    await review(hostDeal.id, 'in-review');
    await review(hostDeal.id, 'action-required', 'Upload the signed order form');
    const asked = await view(w.partner, deal.id);
    expect(asked.registration).toMatchObject({
      status: 'action-required',
      messages: [{ decision: 'action-required', text: 'Upload the signed order form' }],
    });
    await register(deal.id);
    const approved = await review(hostDeal.id, 'approved');
    expect(approved.deal.participants[w.partner.orgId]).toMatchObject({
      status: 'closed',
      registration: { status: 'approved' },
    });

    const closed = await view(w.partner, deal.id);
    expect(closed.deal.status).toBe('closed');
    expect(closed.registration.status).toBe('approved');
    await expect(updateDeal(w.deps, w.partner, { dealId: deal.id, name: 'x' })).rejects.toMatchObject({
      code: 'terminal-deal',
    });
    await expect(register(deal.id)).rejects.toMatchObject({ code: 'terminal-deal' });
    await expect(review(hostDeal.id, 'rejected')).rejects.toMatchObject({ code: 'invalid-transition' });
    const actions = (await w.deps.deals.history(deal.id, { limit: 20 })).items.map((entry) => entry.action);
    expect(actions.slice(0, 6)).toEqual([
      'registration-approved',
      'registration-submitted',
      'registration-action-required',
      'registration-in-review',
      'registration-submitted',
      'won',
    ]);
    expect(
      w.deps.deals.outbox
        .filter((event) => event.type === 'registration.updated')
        .map((e) => e.detail?.status),
    ).toEqual(['submitted', 'in-review', 'action-required', 'submitted', 'approved']);
  });

  it('is reviewed by the host only, with a message when it asks for action, and only for submitted registrations', async () => {
    const { deal, hostDeal } = await coSellDeal();
    await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id });
    await expect(review(hostDeal.id, 'approved')).rejects.toMatchObject({ code: 'not-found' });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    await register(deal.id);
    await expect(
      reviewRegistration(w.deps, w.partner, {
        dealId: deal.id,
        orgId: w.partner.orgId,
        decision: 'approved',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(review(hostDeal.id, 'action-required')).rejects.toMatchObject({ code: 'message-required' });
    await expect(
      registerDeal(w.deps, w.host, { dealId: hostDeal.id, contractSigned: true }),
    ).rejects.toMatchObject({ code: 'host-cannot-register' });
    const rejected = await review(hostDeal.id, 'rejected', 'Not our product');
    expect(rejected.deal.participants[w.partner.orgId]?.status).toBe('closed');
  });
});
