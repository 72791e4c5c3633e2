import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { dealHistory, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const historyOf = async (viewer: Actor, dealId: string) =>
  (await dealHistory(w.deps, viewer, dealId, { limit: 100 })).items;

/** Neither the user id nor the email of `person` appears anywhere in what `viewer` reads. */
const expectNoTraceOf = (read: unknown, person: Actor) => {
  const text = JSON.stringify(read);
  expect(text).not.toContain(person.sub);
  expect(text).not.toContain(person.email);
};

describe('history across orgs', () => {
  it("shows the invitee the inviting org by id and name only, never the inviting user's id or email", async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    const entries = await historyOf(w.other, received.id);
    expect(entries.map((entry) => entry.actor)).toEqual([
      { kind: 'org', orgId: w.partner.orgId, orgName: w.partner.orgName },
    ]);
    expectNoTraceOf(entries, w.partner);

    // Its own answer is its own member's, by name; the inviter's history shows its own member too.
    await acceptInvitation(w.deps, w.other, { dealId: received.id });
    const [accepted] = await historyOf(w.other, received.id);
    expect(accepted?.actor).toEqual({
      kind: 'member',
      orgId: w.other.orgId,
      orgName: w.other.orgName,
      sub: w.other.sub,
      email: w.other.email,
    });
    const inviterEntries = await historyOf(w.partner, deal.id);
    expect(inviterEntries.every((entry) => entry.actor.kind === 'member')).toBe(true);
    expectNoTraceOf(inviterEntries, w.other);
  });

  it("shows the partner the host's registration decisions as the host org, and the expiry job as system", async () => {
    const created = await w.create(w.partner, {
      customer: {
        id: w.customer.id,
        contact: { name: 'Cy', phone: '+49 1', email: 'cy@t.example' },
        consentToShareWithHost: true,
      },
    });
    await inviteToDeal(w.deps, w.partner, { dealId: created.id, host: { helpType: 'general' } });
    const hostDeal = (await listDeals(w.deps, w.host, { tab: 'inbound' }, { limit: 10 })).items[0]
      ?.deal as Deal;
    await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id });
    await closeDeal(w.deps, w.partner, { dealId: created.id, outcome: 'won' });
    await registerDeal(w.deps, w.partner, { dealId: created.id, contractSigned: true });
    await reviewRegistration(w.deps, w.host, {
      dealId: hostDeal.id,
      orgId: w.partner.orgId,
      decision: 'action-required',
      message: 'Attach the order',
    });
    const [decision] = await historyOf(w.partner, created.id);
    expect(decision).toMatchObject({
      action: 'registration-action-required',
      actor: { kind: 'org', orgId: w.host.orgId, orgName: w.host.orgName },
    });
    expectNoTraceOf(await historyOf(w.partner, created.id), w.host);

    const { received } = await w.invited(w.partner, w.other);
    w.setNow('2026-11-20T00:00:00.000Z');
    await expireInvitations(w.deps);
    const [expired] = await historyOf(w.other, received.id);
    expect(expired).toMatchObject({ action: 'expired', actor: { kind: 'system' } });
  });

  it('works out the writing org of entries stored before entries recorded it, and hides other orgs alike', async () => {
    const { received } = await w.invited(w.partner, w.other);
    // Release 1 stored the actor as { sub, email }.
    for (const entry of w.deps.deals.historyEntries) {
      entry.actor = { sub: entry.actor.sub, email: entry.actor.email };
    }
    const entries = await historyOf(w.other, received.id);
    expect(entries.map((entry) => entry.actor)).toEqual([
      { kind: 'org', orgId: w.partner.orgId, orgName: w.partner.orgName },
    ]);
    expectNoTraceOf(entries, w.partner);
    await acceptInvitation(w.deps, w.other, { dealId: received.id });
    const [accepted] = await historyOf(w.other, received.id);
    expect(accepted?.actor).toMatchObject({ kind: 'member', sub: w.other.sub });
  });
});
