/**
 * Invitation flooding on in-memory ports: one org is invited to one engagement at most 3 times in
 * 24 hours (the 4th is a 429 `invitation-limit` with the wait), and is emailed at most one
 * invitation per hour; an invitation that was not emailed is not emailed as withdrawn either. The
 * rate record is written with the invitation, conditioned on the version the rule read.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { countInvitation, INVITATIONS_PER_DAY } from '#domain/deals/rules/invitation-limits.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { withdrawInvitation } from '#domain/deals/use-cases/withdraw-invitation.ts';
import type { DomainEvent, EventType } from '#domain/kernel/events.ts';
import { planNotifications } from '#domain/notifications/plan.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

const APP = 'https://app.example';
let w: DealWorld;
let deal: Deal;

beforeEach(async () => {
  w = await dealWorld();
  deal = await w.create(w.partner);
});

const inviteOther = () =>
  inviteToDeal(w.deps, w.partner, {
    dealId: deal.id,
    partners: [{ orgId: w.other.orgId, helpType: 'general' }],
  });
const withdrawOther = () => withdrawInvitation(w.deps, w.partner, { dealId: deal.id, orgId: w.other.orgId });

/** The emails the consumer would send for the latest event of `type`. */
const emailsOfLatest = async (type: EventType) => {
  const event = w.deps.deals.outbox.filter((e: DomainEvent) => e.type === type).at(-1);
  if (!event) throw new Error(`no ${type} event`);
  return planNotifications({ ...w.deps }, event, APP);
};

describe('inviting one org to one engagement again and again', () => {
  it(`allows ${INVITATIONS_PER_DAY} invitations in 24 hours, then answers 429 with the wait until one leaves the window`, async () => {
    w.setNow('2026-11-01T09:00:00.000Z');
    await inviteOther();
    await withdrawOther();
    w.setNow('2026-11-01T10:00:00.000Z');
    await inviteOther();
    await withdrawOther();
    w.setNow('2026-11-01T11:00:00.000Z');
    await inviteOther();
    await withdrawOther();

    w.setNow('2026-11-01T12:30:00.000Z');
    await expect(inviteOther()).rejects.toMatchObject({
      kind: 'rate-limited',
      code: 'invitation-limit',
      // The first invitation (09:00) leaves the window at 09:00 the next day: 20.5 hours from now.
      retryAfterSeconds: 20.5 * 3600,
      message:
        'Adatum was invited to this engagement 3 times in the last 24 hours; you can invite it again in 21 hours.',
    });
    // Nothing of the refused invitation was written: no new inbound deal, no event.
    const inbound = [...w.deps.deals.deals.values()].filter((d) => d.orgId === w.other.orgId);
    expect(inbound).toHaveLength(3);

    w.setNow('2026-11-02T09:00:00.000Z');
    await expect(inviteOther()).resolves.toMatchObject({ deal: { id: deal.id } });
  });

  it('emails the first invitation of the hour only, and no withdrawal of one that was not emailed', async () => {
    w.setNow('2026-11-01T09:00:00.000Z');
    await inviteOther();
    expect((await emailsOfLatest('invitation.created')).length).toBeGreaterThan(0);
    await withdrawOther();
    expect((await emailsOfLatest('invitation.withdrawn')).length).toBeGreaterThan(0);

    w.setNow('2026-11-01T09:20:00.000Z');
    await inviteOther();
    expect(await emailsOfLatest('invitation.created')).toEqual([]);
    await withdrawOther();
    expect(await emailsOfLatest('invitation.withdrawn')).toEqual([]);

    // An hour after the last email, the next invitation is news again.
    w.setNow('2026-11-01T10:00:00.000Z');
    await inviteOther();
    expect((await emailsOfLatest('invitation.created')).length).toBeGreaterThan(0);
  });

  it('writes the rate record only on condition that it is still as the rule read it', async () => {
    w.setNow('2026-11-01T09:00:00.000Z');
    await inviteOther();
    const [read] = await w.deps.deals.invitationRates(deal.engagementId, [w.other.orgId]);
    expect(read).toMatchObject({ invitedAt: ['2026-11-01T09:00:00.000Z'], version: 1 });
    await withdrawOther();
    w.setNow('2026-11-01T09:05:00.000Z');
    await inviteOther();
    // A decision made on the first reading no longer holds: the store refuses it.
    const stale = countInvitation(read, deal.engagementId, { id: w.other.orgId, name: 'Adatum' }, new Date());
    expect(
      await w.deps.deals.commit({
        created: [],
        history: [],
        answers: [],
        events: [],
        invitationRates: [stale.rate],
      }),
    ).toBe('conflict');
  });
});
