import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { addComment, listComments } from '#domain/deals/use-cases/comments.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { withdrawInvitation } from '#domain/deals/use-cases/withdraw-invitation.ts';
import { pipelineReport } from '#domain/insights/pipeline.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const ADA_TEAM = [{ name: 'Ada Lovelace', email: 'adatum-admin@adatum.example', phone: '+49 1' }];
const FAB_TEAM = [{ name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1234' }];

const view = async (actor: Actor, dealId: string): Promise<Deal> =>
  (await getVisibleDeal(w.deps, actor, dealId)).deal;
const eventTypes = () => w.deps.deals.outbox.map((event) => event.type);

describe('withdrawing an invitation', () => {
  it("makes the invitee's deal withdrawn (terminal, out of the expiry index) and says so on every copy", async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    expect(w.deps.deals.nextActions.size).toBe(1);

    const inviting = await withdrawInvitation(w.deps, w.partner, { dealId: deal.id, orgId: w.other.orgId });

    expect(inviting.deal.participants[w.other.orgId]?.status).toBe('withdrawn');
    const theirs = await view(w.other, received.id);
    expect(theirs).toMatchObject({ status: 'withdrawn', version: 2 });
    expect(w.deps.deals.nextActions.size).toBe(0);
    expect(w.deps.deals.engagements.get(deal.engagementId)?.participants[w.other.orgId]?.status).toBe(
      'withdrawn',
    );
    expect(eventTypes()).toContain('invitation.withdrawn');
    // No answer was given: nothing counts against the invitee's responsiveness.
    expect(w.deps.deals.answers).toEqual([]);
    await expect(acceptInvitation(w.deps, w.other, { dealId: received.id })).rejects.toMatchObject({
      code: 'terminal-deal',
    });
    await expect(
      declineInvitation(w.deps, w.other, { dealId: received.id, reason: 'other' }),
    ).rejects.toMatchObject({ code: 'terminal-deal' });
    // The expiry job no longer sees it.
    w.setNow('2026-11-20T00:00:00.000Z');
    expect(await expireInvitations(w.deps)).toMatchObject({ expired: 0, read: 0 });
  });

  it('only by the org that sent it, only while received', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    await expect(
      withdrawInvitation(w.deps, w.other, { dealId: received.id, orgId: w.partner.orgId }),
    ).rejects.toMatchObject({ code: 'not-inviter' });
    await expect(
      withdrawInvitation(w.deps, w.partner, { dealId: deal.id, orgId: 'org-nobody' }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: ADA_TEAM });
    await expect(
      withdrawInvitation(w.deps, w.partner, { dealId: deal.id, orgId: w.other.orgId }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
  });

  it('closing the inviting deal won or lost withdraws its received invitations in the same write', async () => {
    const created = await w.create(w.partner);
    await inviteToDeal(w.deps, w.partner, {
      dealId: created.id,
      partners: [w.other.orgId, w.assessor.orgId].map((orgId) => ({ orgId, helpType: 'none' as const })),
    });
    const adatumDeal = (await view(w.partner, created.id)).participants[w.other.orgId]?.dealId ?? '';
    await acceptInvitation(w.deps, w.other, { dealId: adatumDeal, team: ADA_TEAM });

    const lost = await closeDeal(w.deps, w.partner, {
      dealId: created.id,
      outcome: 'lost',
      reason: 'no-budget',
    });

    expect(lost.deal.participants[w.assessor.orgId]?.status).toBe('withdrawn');
    expect(lost.deal.participants[w.other.orgId]?.status).toBe('accepted');
    const northwindDeal = lost.deal.participants[w.assessor.orgId]?.dealId ?? '';
    expect((await view(w.assessor, northwindDeal)).status).toBe('withdrawn');
    // Adatum's copy says so too, and the later accept is refused.
    expect((await view(w.other, adatumDeal)).participants[w.assessor.orgId]?.status).toBe('withdrawn');
    await expect(acceptInvitation(w.deps, w.assessor, { dealId: northwindDeal })).rejects.toMatchObject({
      code: 'terminal-deal',
    });
    expect(eventTypes().filter((type) => type === 'invitation.withdrawn')).toHaveLength(1);
  });
});

describe('second chances', () => {
  it('re-invites an org whose last answer was declined, expired or withdrawn, with a new deal and clock', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    await declineInvitation(w.deps, w.other, { dealId: received.id, reason: 'no-capacity' });
    w.setNow('2026-11-05T09:00:00.000Z');

    const again = await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'general' }],
    });

    const entry = again.deal.participants[w.other.orgId];
    expect(entry?.status).toBe('received');
    expect(entry?.dealId).not.toBe(received.id);
    const second = await view(w.other, entry?.dealId ?? '');
    expect(second.invitation?.expiresAt).toBe('2026-11-19T09:00:00.000Z');
    // The declined deal stays as it was: its own copy still says declined.
    expect((await view(w.other, received.id)).participants[w.other.orgId]?.status).toBe('declined');

    // Received (or accepted) stays a conflict.
    await expect(
      inviteToDeal(w.deps, w.partner, {
        dealId: deal.id,
        partners: [{ orgId: w.other.orgId, helpType: 'none' }],
      }),
    ).rejects.toMatchObject({ code: 'already-participant' });

    // Withdrawn, then expired: each time a new invitation is possible.
    await withdrawInvitation(w.deps, w.partner, { dealId: deal.id, orgId: w.other.orgId });
    await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'none' }],
    });
    w.setNow('2026-12-01T09:00:00.000Z');
    expect((await expireInvitations(w.deps)).expired).toBe(1);
    const last = await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'none' }],
    });
    expect(last.deal.participants[w.other.orgId]?.status).toBe('received');
  });
});

describe('one team', () => {
  const teamSeen = async (actor: Actor, dealId: string, orgId: string) =>
    (await getVisibleDeal(w.deps, actor, dealId)).participants.find((p) => p.orgId === orgId)?.team;

  it('shows each taking-part org its partners’ teams; received orgs see and show none', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    // Not yet accepted: the invitee sees the inviter's team on the invitation only.
    const before = await getVisibleDeal(w.deps, w.other, received.id);
    expect(before.deal.invitation?.inviterTeam).toEqual(FAB_TEAM);
    expect(await teamSeen(w.other, received.id, w.partner.orgId)).toEqual([]);
    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual([]);

    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: ADA_TEAM });
    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual(ADA_TEAM);
    expect(await teamSeen(w.other, received.id, w.partner.orgId)).toEqual(FAB_TEAM);
    // Each team is a record of its own: no deal and not the engagement carries a copy.
    for (const stored of w.deps.deals.deals.values()) {
      for (const entry of Object.values(stored.participants)) expect(entry).not.toHaveProperty('team');
    }

    // A team change is the org's one record: the other org sees it on its next read.
    const bigger = [...FAB_TEAM, { name: 'Ben', email: 'ben@fabrikam.example', phone: '+49 2' }];
    await updateDeal(w.deps, w.partner, { dealId: deal.id, team: bigger });
    expect(await teamSeen(w.other, received.id, w.partner.orgId)).toEqual(bigger);
    // A list page reads no team: every team on it is empty.
    const page = await listDeals(w.deps, w.other, { tab: 'inbound' }, { limit: 10 });
    expect(page.items[0]?.participants.find((p) => p.orgId === w.partner.orgId)?.team).toEqual([]);
  });

  it('reads a team the previous release copied onto the deal when the org has written none since', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: ADA_TEAM });
    // As the previous release left it: the team on every copy of the entry, no record of its own.
    const legacy = [{ name: 'Old Copy', email: 'old@adatum.example', phone: '+49 9' }];
    w.deps.deals.sharedTeamRecords.clear();
    for (const stored of w.deps.deals.deals.values()) {
      const entry = stored.participants[w.other.orgId];
      if (entry) stored.participants[w.other.orgId] = { ...entry, team: legacy };
    }
    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual(legacy);

    // The org's next change writes its record and rewrites its entry without the copy.
    const renewed = [...ADA_TEAM, { name: 'Bo', email: 'bo@adatum.example', phone: '+49 3' }];
    await updateDeal(w.deps, w.other, { dealId: received.id, team: renewed });
    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual(renewed);
    expect(
      w.deps.deals.deals.get(`${w.partner.orgId}/${deal.id}`)?.participants[w.other.orgId],
    ).not.toHaveProperty('team');
  });

  it('gives a host invitation the inviter’s team', async () => {
    const created = await w.create(w.partner, {
      customer: { id: w.customer.id, contact: { name: 'Cy', phone: '+49 1', email: 'cy@t.example' } },
    });
    const { deal } = await inviteToDeal(w.deps, w.partner, {
      dealId: created.id,
      host: { helpType: 'architecture', notes: 'help' },
    });
    const hostDeal = await view(w.host, deal.participants[w.host.orgId]?.dealId ?? '');
    expect(hostDeal.invitation?.inviterTeam).toEqual(FAB_TEAM);
  });
});

describe('comments', () => {
  it('engagement comments reach taking-part orgs; org comments stay in the org; received sees none', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    await addComment(w.deps, w.partner, {
      dealId: deal.id,
      text: 'hello partners',
      visibility: 'engagement',
    });
    await addComment(w.deps, w.partner, { dealId: deal.id, text: 'internal only', visibility: 'org' });
    // A received invitee sees none, and may write only for its own org.
    expect((await listComments(w.deps, w.other, received.id, { limit: 10 })).items).toEqual([]);
    await expect(
      addComment(w.deps, w.other, { dealId: received.id, text: 'hi', visibility: 'engagement' }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });

    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: ADA_TEAM });
    await addComment(w.deps, w.other, { dealId: received.id, text: 'thanks', visibility: 'engagement' });
    await addComment(w.deps, w.other, { dealId: received.id, text: 'adatum note', visibility: 'org' });

    const texts = async (actor: Actor, dealId: string) =>
      (await listComments(w.deps, actor, dealId, { limit: 10 })).items.map((comment) => comment.text);
    expect(await texts(w.other, received.id)).toEqual(['adatum note', 'thanks', 'hello partners']);
    expect(await texts(w.partner, deal.id)).toEqual(['thanks', 'internal only', 'hello partners']);
    // Only engagement comments are events.
    expect(eventTypes().filter((type) => type === 'comment.created')).toHaveLength(2);

    const page = await listComments(w.deps, w.partner, deal.id, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.next).toBeDefined();
  });

  it('refuses new comments on terminal deals (409) and hides deals of other orgs (404)', async () => {
    const deal = await w.create(w.partner);
    await expect(
      addComment(w.deps, w.other, { dealId: deal.id, text: 'x', visibility: 'org' }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'lost', reason: 'other' });
    await expect(
      addComment(w.deps, w.partner, { dealId: deal.id, text: 'x', visibility: 'org' }),
    ).rejects.toMatchObject({ code: 'terminal-deal' });
  });
});

describe('the pipeline report by campaign', () => {
  it('filters by campaign id and groups by it next to byStatus', async () => {
    await w.create(w.partner, { campaignId: 'CMP-1' });
    await w.create(w.partner, { campaignId: 'CMP-1', value: { amount: 5, currency: 'USD' } });
    await w.create(w.partner, { campaignId: 'CMP-2' });
    await w.create(w.partner);

    const all = await pipelineReport(w.deps, w.partner);
    expect(all.byCampaign).toEqual({
      'CMP-1': { count: 2, value: { EUR: 250_000, USD: 5 } },
      'CMP-2': { count: 1, value: { EUR: 250_000 } },
    });
    expect(all.byStatus.accepted.count).toBe(4);
    const one = await pipelineReport(w.deps, w.partner, { campaignId: 'CMP-2' });
    expect(one.byStatus.accepted.count).toBe(1);
    expect(Object.keys(one.byCampaign)).toEqual(['CMP-2']);
  });
});
