import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { dealType } from '#domain/deals/rules/deal-type.ts';
import type { InviteInput } from '#domain/deals/rules/invitations.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { NotFoundError, ValidationError } from '#domain/kernel/errors.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const contact = { name: 'Cy Buyer', phone: '+49 1', email: 'cy@tailspin.example' };
const withContact = (consentToShareWithHost: boolean) => ({
  customer: { id: w.customer.id, contact, consentToShareWithHost },
});

const inbound = async (actor: Actor): Promise<Deal> => {
  const page = await listDeals(w.deps, actor, { tab: 'inbound' }, { limit: 100 });
  const [first] = page.items;
  if (!first) throw new Error(`${actor.orgName} has no inbound deal`);
  return first.deal;
};

const read = async (actor: Actor, id: string) => (await getVisibleDeal(w.deps, actor, id)).deal;
const invite = (actor: Actor, id: string, input: InviteInput) =>
  inviteToDeal(w.deps, actor, { dealId: id, ...input });
const accept = (actor: Actor, id: string) => acceptInvitation(w.deps, actor, { dealId: id });

describe('inviting the host to a private deal', () => {
  it('upgrades it to co-sell and gives the host its own received deal that expires in 14 days', async () => {
    const deal = await w.create(w.partner, withContact(true));
    const { deal: inviting } = await invite(w.partner, deal.id, {
      host: { helpType: 'architecture', notes: 'help!' },
    });

    expect(dealType(inviting)).toBe('co-sell');
    expect(Object.values(inviting.participants).map((p) => [p.orgName, p.status])).toEqual([
      ['Fabrikam', 'accepted'],
      ['Contoso', 'received'],
    ]);
    const hostDeal = await inbound(w.host);
    expect(hostDeal).toMatchObject({
      direction: 'inbound',
      status: 'received',
      engagementId: deal.engagementId,
      name: deal.name,
      customer: { contact },
      team: [],
      invitation: {
        kind: 'host',
        fromOrgId: w.partner.orgId,
        fromOrgName: 'Fabrikam',
        fromDealId: deal.id,
        helpType: 'architecture',
        notes: 'help!',
        invitedAt: '2026-11-01T09:00:00.000Z',
        expiresAt: '2026-11-15T09:00:00.000Z',
      },
    });
    expect(dealType(hostDeal)).toBe('co-sell');
    expect(w.deps.deals.outbox.filter((e) => e.type === 'invitation.created')).toEqual([
      expect.objectContaining({
        dealId: deal.id,
        invitation: {
          inviterOrgId: w.partner.orgId,
          inviterDealId: deal.id,
          inviteeOrgId: w.host.orgId,
          inviteeDealId: hostDeal.id,
        },
      }),
    ]);
  });

  it('shares the customer contact with the host only when the customer consented', async () => {
    const deal = await w.create(w.partner, withContact(false));
    await invite(w.partner, deal.id, { host: { helpType: 'general' } });
    expect((await inbound(w.host)).customer.contact).toBeUndefined();
  });

  it('needs the customer contact and a help type other than none', async () => {
    const bare = await w.create(w.partner);
    await expect(invite(w.partner, bare.id, { host: { helpType: 'general' } })).rejects.toMatchObject({
      code: 'contact-required',
    });
    const deal = await w.create(w.partner, withContact(true));
    const none = await invite(w.partner, deal.id, { host: { helpType: 'none' } }).catch((e) => e);
    expect(none).toBeInstanceOf(ValidationError);
  });

  it('lets the host see nothing before the invitation, then only its own copy', async () => {
    const deal = await w.create(w.partner, withContact(true));
    await expect(getVisibleDeal(w.deps, w.host, deal.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listDeals(w.deps, w.host, { tab: 'inbound' }, { limit: 10 })).items).toEqual([]);
    await invite(w.partner, deal.id, { host: { helpType: 'general' } });
    await expect(getVisibleDeal(w.deps, w.host, deal.id)).rejects.toBeInstanceOf(NotFoundError);
    const hostDeal = await inbound(w.host);
    await accept(w.host, hostDeal.id);
    await changeStage(w.deps, w.host, { dealId: hostDeal.id, stage: 'qualified' });
    await closeDeal(w.deps, w.host, { dealId: hostDeal.id, outcome: 'won' });
    expect((await read(w.partner, deal.id)).participants[w.host.orgId]?.status).toBe('won');
  });
});

describe('partner invitations', () => {
  it('prefill close date, value, solutions and the inviter team from the deal, or take the proposal', async () => {
    const deal = await w.create(w.partner);
    await invite(w.partner, deal.id, {
      partners: [
        { orgId: w.other.orgId, helpType: 'none' },
        {
          orgId: w.assessor.orgId,
          helpType: 'technical',
          closeDate: '2027-06-30',
          value: { amount: 5, currency: 'USD' },
          team: [{ name: 'Bo', email: 'bo@fabrikam.example', phone: '+1 2' }],
          solutions: [w.hostSolution.id],
        },
      ],
    });
    const prefilled = await inbound(w.other);
    expect(prefilled).toMatchObject({
      closeDate: deal.closeDate,
      value: deal.value,
      solutions: deal.solutions,
      invitation: { kind: 'partner', inviterTeam: deal.team },
    });
    expect(prefilled.customer.contact).toBeUndefined();
    expect(prefilled.customer.name).toBe('Tailspin Toys');
    expect(await inbound(w.assessor)).toMatchObject({
      closeDate: '2027-06-30',
      value: { amount: 5, currency: 'USD' },
      invitation: { inviterTeam: [{ name: 'Bo' }] },
    });
    expect(dealType(await read(w.partner, deal.id))).toBe('partner-to-partner');
  });

  it('refuses yourself, orgs already in the engagement, and unknown partners', async () => {
    const deal = await w.create(w.partner);
    await expect(
      invite(w.partner, deal.id, { partners: [{ orgId: w.partner.orgId, helpType: 'none' }] }),
    ).rejects.toMatchObject({
      code: 'cannot-invite-self',
    });
    await invite(w.partner, deal.id, { partners: [{ orgId: w.other.orgId, helpType: 'none' }] });
    await expect(
      invite(w.partner, deal.id, { partners: [{ orgId: w.other.orgId, helpType: 'none' }] }),
    ).rejects.toMatchObject({
      code: 'already-participant',
    });
    await expect(
      invite(w.partner, deal.id, { partners: [{ orgId: 'nope', helpType: 'none' }] }),
    ).rejects.toMatchObject({
      code: 'unknown-partner',
    });
    await expect(
      invite(w.partner, deal.id, { partners: [{ orgId: w.host.orgId, helpType: 'none' }] }),
    ).rejects.toMatchObject({
      code: 'unknown-partner',
    });
  });

  it('lets only the engagement origin invite more partners, while any accepted partner may bring in the host', async () => {
    const deal = await w.create(w.partner, withContact(true));
    await invite(w.partner, deal.id, { partners: [{ orgId: w.other.orgId, helpType: 'none' }] });
    const theirs = await inbound(w.other);
    await expect(
      invite(w.other, theirs.id, { partners: [{ orgId: w.assessor.orgId, helpType: 'none' }] }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    await accept(w.other, theirs.id);
    await expect(
      invite(w.other, theirs.id, { partners: [{ orgId: w.assessor.orgId, helpType: 'none' }] }),
    ).rejects.toMatchObject({ code: 'not-engagement-origin' });

    // Partner-to-partner without host: an invitee may upgrade it to co-sell.
    await invite(w.other, theirs.id, { host: { helpType: 'pricing' } });
    expect(dealType(await read(w.partner, deal.id))).toBe('co-sell');
    expect((await inbound(w.host)).invitation?.fromOrgId).toBe(w.other.orgId);
    // The invitee passed on the contact it received, under the same consent.
    expect((await inbound(w.host)).customer).toMatchObject({ contact, consentToShareWithHost: true });

    // Co-sell: the origin may still add partners.
    await invite(w.partner, deal.id, { partners: [{ orgId: w.assessor.orgId, helpType: 'none' }] });
    const everyone = Object.values((await read(w.partner, deal.id)).participants)
      .map((p) => p.orgName)
      .sort();
    expect(everyone).toEqual(['Adatum', 'Contoso', 'Fabrikam', 'Northwind']);
    // Every deal of the engagement holds the same participants.
    for (const actor of [w.other, w.host, w.assessor]) {
      expect((await inbound(actor)).participants).toEqual((await read(w.partner, deal.id)).participants);
    }
  });

  it('never invites from a terminal deal', async () => {
    const deal = await w.create(w.partner);
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    await expect(
      invite(w.partner, deal.id, { partners: [{ orgId: w.other.orgId, helpType: 'none' }] }),
    ).rejects.toMatchObject({
      code: 'terminal-deal',
    });
  });
});

describe('answering an invitation', () => {
  let deal: Deal;
  beforeEach(async () => {
    deal = await w.create(w.partner);
    await invite(w.partner, deal.id, { partners: [{ orgId: w.other.orgId, helpType: 'general' }] });
  });

  it('accepts with the invitee own fields, at stage accepted, and tells the inviter', async () => {
    const received = await inbound(w.other);
    w.setNow('2026-11-03T09:00:00.000Z');
    const team = [{ name: 'Ada', email: 'ada@adatum.example', phone: '+1 3' }];
    const { deal: accepted } = await acceptInvitation(w.deps, w.other, {
      dealId: received.id,
      name: 'Our name',
      crmId: 'ADA-1',
      team,
    });
    expect(accepted).toMatchObject({
      status: 'accepted',
      stage: 'accepted',
      probability: 10,
      name: 'Our name',
      crmId: 'ADA-1',
      team,
      invitation: { answeredAt: '2026-11-03T09:00:00.000Z' },
    });
    expect((await read(w.partner, deal.id)).participants[w.other.orgId]?.status).toBe('accepted');
    expect(w.deps.deals.answers).toEqual([
      expect.objectContaining({
        orgId: w.other.orgId,
        outcome: 'accepted',
        invitedAt: '2026-11-01T09:00:00.000Z',
      }),
    ]);
    expect(w.deps.deals.outbox.at(-1)).toMatchObject({ type: 'invitation.accepted', dealId: received.id });

    // The invitee may now change close date, value and solutions of its own deal.
    const { deal: edited } = await updateDeal(w.deps, w.other, {
      dealId: received.id,
      closeDate: '2027-09-30',
      value: { amount: 9, currency: 'EUR' },
      solutions: [w.hostSolution.id],
    });
    expect(edited).toMatchObject({ closeDate: '2027-09-30', value: { amount: 9 } });
    // ...which never touches what the inviter's deal says.
    expect((await read(w.partner, deal.id)).closeDate).toBe(deal.closeDate);
  });

  it('declines with a reason: terminal for the invitee, visible as a status to the inviter', async () => {
    const received = await inbound(w.other);
    const { deal: declined } = await declineInvitation(w.deps, w.other, {
      dealId: received.id,
      reason: 'no-capacity',
      notes: 'busy',
    });
    expect(declined).toMatchObject({
      status: 'declined',
      declined: { reason: 'no-capacity', notes: 'busy' },
    });
    expect((await read(w.partner, deal.id)).participants[w.other.orgId]?.status).toBe('declined');
    await expect(accept(w.other, received.id)).rejects.toMatchObject({ code: 'terminal-deal' });
    expect(w.deps.deals.outbox.at(-1)).toMatchObject({
      type: 'invitation.declined',
      detail: { reason: 'no-capacity' },
    });
  });

  it('cannot answer twice, nor answer from the inviting side', async () => {
    const received = await inbound(w.other);
    await accept(w.other, received.id);
    await expect(accept(w.other, received.id)).rejects.toMatchObject({ code: 'invalid-transition' });
    await expect(accept(w.partner, deal.id)).rejects.toMatchObject({ code: 'invalid-transition' });
    await expect(accept(w.partner, received.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('shows the received deal to referral-users of its location, and refuses answers after 14 days', async () => {
    const seller = await w.member(w.other, 'adatum-seller', ['referral-user'], ['DE']);
    const elsewhere = await w.member(w.other, 'adatum-fr', ['referral-user'], ['FR']);
    const received = await inbound(w.other);
    await expect(getVisibleDeal(w.deps, seller, received.id)).resolves.toBeDefined();
    await expect(getVisibleDeal(w.deps, elsewhere, received.id)).rejects.toBeInstanceOf(NotFoundError);
    // Accepting as a referral-user puts it on the team, so it keeps seeing the deal.
    w.setNow('2026-11-15T09:00:00.000Z');
    await expect(accept(w.other, received.id)).rejects.toMatchObject({ code: 'invalid-transition' });
  });
});

describe('the expiry job', () => {
  it('reminds once three days before, expires after 14 days, and is safe to run again', async () => {
    const deal = await w.create(w.partner);
    await invite(w.partner, deal.id, {
      partners: [
        { orgId: w.other.orgId, helpType: 'none' },
        { orgId: w.assessor.orgId, helpType: 'none' },
      ],
    });
    await accept(w.assessor, (await inbound(w.assessor)).id);

    w.setNow('2026-11-12T08:59:00.000Z');
    expect(await expireInvitations(w.deps)).toMatchObject({ reminded: 0, expired: 0, read: 0 });
    w.setNow('2026-11-12T09:00:01.000Z');
    expect(await expireInvitations(w.deps)).toMatchObject({ reminded: 1, expired: 0, read: 1 });
    expect(await expireInvitations(w.deps)).toMatchObject({ reminded: 0, expired: 0, read: 0 });
    expect(w.deps.deals.outbox.filter((e) => e.type === 'invitation.reminder')).toHaveLength(1);

    w.setNow('2026-11-15T09:00:00.000Z');
    expect(await expireInvitations(w.deps)).toMatchObject({ reminded: 0, expired: 1, read: 1 });
    expect(await expireInvitations(w.deps)).toMatchObject({ expired: 0, read: 0 });
    const expired = await inbound(w.other);
    expect(expired.status).toBe('expired');
    expect((await read(w.partner, deal.id)).participants[w.other.orgId]?.status).toBe('expired');
    expect((await inbound(w.assessor)).status).toBe('accepted');
    expect(w.deps.deals.outbox.filter((e) => e.type === 'invitation.expired')).toEqual([
      expect.objectContaining({ dealId: expired.id, orgId: w.other.orgId }),
    ]);
    expect(w.deps.deals.answers.map((a) => a.outcome).sort()).toEqual(['accepted', 'expired']);
  });

  it('settles every due invitation across pages, a few at a time', async () => {
    for (let i = 0; i < 12; i++) {
      const deal = await w.create(w.partner);
      await invite(w.partner, deal.id, { partners: [{ orgId: w.other.orgId, helpType: 'none' }] });
    }
    w.setNow('2026-11-20T00:00:00.000Z');
    expect(await expireInvitations(w.deps, { pageSize: 5 })).toEqual({
      expired: 12,
      reminded: 0,
      skipped: 0,
      read: 12,
    });
    expect(await expireInvitations(w.deps, { pageSize: 5 })).toMatchObject({ expired: 0, read: 0 });
  });
});
