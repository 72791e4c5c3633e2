/**
 * The actions a deal offers are exactly the ones its use cases accept: for each situation of the
 * table, every action is tried on a fresh world, and it succeeds if and only if the deal offered it.
 */
import { describe, expect, it } from 'vitest';
import { DEAL_ACTIONS, type DealAction } from '#domain/deals/rules/actions.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { addComment } from '#domain/deals/use-cases/comments.ts';
import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { assignOwner } from '#domain/deals/use-cases/owner.ts';
import { getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { withdrawInvitation } from '#domain/deals/use-cases/withdraw-invitation.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

const contact = { name: 'Cy Buyer', phone: '+49 1', email: 'cy@tailspin.example' };

/** A situation: who looks at which deal, built on a fresh world. */
type Situation = (w: DealWorld) => Promise<{ actor: Actor; dealId: string }>;

const withContact = (w: DealWorld) => ({
  customer: { id: w.customer.id, contact, consentToShareWithHost: true },
});

const inboundOf = async (w: DealWorld, actor: Actor) => {
  const [first] = (await listDeals(w.deps, actor, { tab: 'inbound' }, { limit: 10 })).items;
  if (!first) throw new Error('no inbound deal');
  return first.deal;
};

const selfTeam = (actor: Actor) => [{ name: actor.name, email: actor.email, phone: '+1 555' }];

/** A won co-sell deal of the partner whose invitation the host accepted; registered when asked. */
const wonCoSell = async (w: DealWorld, registered: boolean) => {
  const deal = await w.create(w.partner, withContact(w));
  await inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
  const hostDeal = await inboundOf(w, w.host);
  await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id, team: selfTeam(w.host) });
  await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
  if (registered) await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true });
  return { deal, hostDeal };
};

const SITUATIONS: Record<string, Situation> = {
  'a private deal without a customer contact': async (w) => ({
    actor: w.partner,
    dealId: (await w.create(w.partner)).id,
  }),
  'a private deal with a customer contact': async (w) => ({
    actor: w.partner,
    dealId: (await w.create(w.partner, withContact(w))).id,
  }),
  'an outbound deal with an unanswered invitation': async (w) => ({
    actor: w.partner,
    dealId: (await w.invited(w.partner, w.other)).deal.id,
  }),
  'a received invitation': async (w) => ({
    actor: w.other,
    dealId: (await w.invited(w.partner, w.other)).received.id,
  }),
  'an expired invitation not yet swept': async (w) => {
    const { received } = await w.invited(w.partner, w.other);
    w.setNow('2026-12-01T00:00:00.000Z');
    return { actor: w.other, dealId: received.id };
  },
  'an accepted inbound partner-to-partner deal without a contact': async (w) => {
    const { received } = await w.invited(w.partner, w.other);
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: selfTeam(w.other) });
    return { actor: w.other, dealId: received.id };
  },
  'an accepted inbound deal whose engagement has another invitation open': async (w) => {
    const deal = await w.create(w.partner, withContact(w));
    await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'general' }],
    });
    const received = await inboundOf(w, w.other);
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: selfTeam(w.other) });
    await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      partners: [{ orgId: w.assessor.orgId, helpType: 'general' }],
    });
    return { actor: w.other, dealId: received.id };
  },
  'an inbound deal that invited the host itself': async (w) => {
    const deal = await w.create(w.partner, withContact(w));
    await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'general' }],
    });
    const received = await inboundOf(w, w.other);
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: selfTeam(w.other) });
    await inviteToDeal(w.deps, w.other, { dealId: received.id, host: { helpType: 'technical' } });
    return { actor: w.other, dealId: received.id };
  },
  "the host's received invitation": async (w) => {
    const deal = await w.create(w.partner, withContact(w));
    await inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
    return { actor: w.host, dealId: (await inboundOf(w, w.host)).id };
  },
  'a won co-sell deal, not registered yet': async (w) => ({
    actor: w.partner,
    dealId: (await wonCoSell(w, false)).deal.id,
  }),
  'a won co-sell deal, registered': async (w) => ({
    actor: w.partner,
    dealId: (await wonCoSell(w, true)).deal.id,
  }),
  "the host's deal with a submitted registration": async (w) => ({
    actor: w.host,
    dealId: (await wonCoSell(w, true)).hostDeal.id,
  }),
  "the host's deal with a submitted registration, seen by a referral-user": async (w) => {
    const { hostDeal } = await wonCoSell(w, true);
    const user = await w.member(w.host, 'host-user', ['referral-user'], ['DE']);
    await updateDeal(w.deps, w.host, {
      dealId: hostDeal.id,
      team: [...selfTeam(w.host), { name: 'u', email: user.email, phone: '+1' }],
    }).catch(() => undefined);
    return { actor: user, dealId: hostDeal.id };
  },
  'a lost deal': async (w) => {
    const deal = await w.create(w.partner);
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'lost', reason: 'no-budget' });
    return { actor: w.partner, dealId: deal.id };
  },
  'a solution assessment at negotiated': async (w) => {
    const deal = await w.create(w.assessor, { solutions: [w.assessmentType.id], assessmentLocation: 'DE' });
    for (const stage of ['qualified', 'developed', 'proposed', 'negotiated'] as const) {
      await changeStage(w.deps, w.assessor, { dealId: deal.id, stage });
    }
    return { actor: w.assessor, dealId: deal.id };
  },
  "a referral-user's deal of its location": async (w) => {
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    const deal = await w.create(user, {
      team: [{ name: 'fab-user', email: user.email, phone: '+1 555' }],
    });
    return { actor: user, dealId: deal.id };
  },
};

/** Tries `action` on the deal as `actor` would from the console; true when a use case accepts it. */
const attempt = async (w: DealWorld, actor: Actor, dealId: string, action: DealAction): Promise<boolean> => {
  const { deal, participants } = await getVisibleDeal(w.deps, actor, dealId);
  const tries: (() => Promise<unknown>)[] = [];
  switch (action) {
    case 'accept':
      tries.push(() => acceptInvitation(w.deps, actor, { dealId, team: selfTeam(actor) }));
      break;
    case 'decline':
      tries.push(() => declineInvitation(w.deps, actor, { dealId, reason: 'no-capacity' }));
      break;
    case 'edit':
      tries.push(() => updateDeal(w.deps, actor, { dealId, name: 'Renamed' }));
      break;
    case 'change-stage': {
      const sequence = ['qualified', 'developed', 'proposed', 'negotiated'] as const;
      const next =
        deal.assessmentLocation !== undefined
          ? sequence[sequence.indexOf(deal.stage as (typeof sequence)[number]) + 1]
          : deal.stage === 'qualified'
            ? 'developed'
            : 'qualified';
      if (next) tries.push(() => changeStage(w.deps, actor, { dealId, stage: next }));
      break;
    }
    case 'close':
      tries.push(() => closeDeal(w.deps, actor, { dealId, outcome: 'lost', reason: 'no-budget' }));
      break;
    case 'invite': {
      tries.push(() => inviteToDeal(w.deps, actor, { dealId, host: { helpType: 'general' } }));
      for (const org of [w.partner, w.other, w.assessor]) {
        tries.push(() =>
          inviteToDeal(w.deps, actor, { dealId, partners: [{ orgId: org.orgId, helpType: 'general' }] }),
        );
      }
      break;
    }
    case 'withdraw':
      for (const participant of participants.filter((p) => p.status === 'received')) {
        tries.push(() => withdrawInvitation(w.deps, actor, { dealId, orgId: participant.orgId }));
      }
      break;
    case 'register':
      tries.push(() => registerDeal(w.deps, actor, { dealId, contractSigned: true }));
      break;
    case 'review':
      for (const org of [w.partner, w.other, w.assessor]) {
        tries.push(() =>
          reviewRegistration(w.deps, actor, { dealId, orgId: org.orgId, decision: 'approved' }),
        );
      }
      break;
    case 'comment':
      tries.push(() => addComment(w.deps, actor, { dealId, text: 'A note', visibility: 'org' }));
      break;
    case 'assign-owner':
      tries.push(() => assignOwner(w.deps, actor, { dealId, email: actor.email }));
      tries.push(() => assignOwner(w.deps, actor, { dealId, email: null }));
      break;
    case 'favorite':
      tries.push(() => setFavorite(w.deps, actor, { dealId, favorite: true }));
      break;
  }
  for (const run of tries) {
    try {
      await run();
      return true;
    } catch {
      // Refused: the next way of doing it may be accepted.
    }
  }
  return false;
};

describe.each(Object.entries(SITUATIONS))('%s', (_name, situation) => {
  it('offers exactly the actions its use cases accept', async () => {
    const w = await dealWorld();
    const { actor, dealId } = await situation(w);
    const { actions } = await getVisibleDeal(w.deps, actor, dealId);
    const accepted: DealAction[] = [];
    for (const action of DEAL_ACTIONS) {
      const fresh = await dealWorld();
      const again = await situation(fresh);
      if (await attempt(fresh, again.actor, again.dealId, action)) accepted.push(action);
    }
    expect(actions).toEqual(accepted);
  });
});

describe('what a situation offers', () => {
  const offered = async (name: string) => {
    const w = await dealWorld();
    const { actor, dealId } = await (SITUATIONS[name] as Situation)(w);
    return getVisibleDeal(w.deps, actor, dealId);
  };

  it('keeps an inbound deal from withdrawing the invitations another org sent', async () => {
    const view = await offered('an accepted inbound deal whose engagement has another invitation open');
    expect(view.participants.map((p) => p.status)).toContain('received');
    expect(view.actions).not.toContain('withdraw');
    expect(view.participants.every((p) => p.actions.length === 0)).toBe(true);
  });

  it('offers no invitation from an inbound deal that may not invite partners and lacks a contact', async () => {
    const view = await offered('an accepted inbound partner-to-partner deal without a contact');
    expect(view.actions).toEqual(['edit', 'change-stage', 'close', 'comment', 'assign-owner', 'favorite']);
  });

  it('lets the org that invited the host withdraw that invitation only', async () => {
    const view = await offered('an inbound deal that invited the host itself');
    expect(view.actions).toContain('withdraw');
    expect(view.participants.filter((p) => p.actions.includes('withdraw')).map((p) => p.kind)).toEqual([
      'host',
    ]);
  });

  it('offers the host review of a submitted registration to its admins only', async () => {
    expect((await offered("the host's deal with a submitted registration")).actions).toContain('review');
  });
});
