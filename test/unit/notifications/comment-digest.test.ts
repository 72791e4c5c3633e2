import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { addComment } from '#domain/deals/use-cases/comments.ts';
import type { DomainEvent } from '#domain/kernel/events.ts';
import { sendDueDigests } from '#domain/notifications/digest.ts';
import { planNotifications } from '#domain/notifications/plan.ts';
import type { NotificationDeps } from '#domain/notifications/ports.ts';
import { type DealWorld, dealWorld, settableClock } from '#test/support/deal-world.ts';

const APP = 'https://app.example';
let w: DealWorld;
let consumerClock: ReturnType<typeof settableClock>;
let deps: Pick<NotificationDeps, 'deals' | 'memberships' | 'orgs' | 'comments' | 'clock'>;
let inviting: Deal;
let accepted: Deal;

beforeEach(async () => {
  w = await dealWorld();
  consumerClock = settableClock('2026-11-01T10:00:00.000Z');
  deps = {
    deals: w.deps.deals,
    memberships: w.deps.memberships,
    orgs: w.deps.orgs,
    comments: w.deps.comments,
    clock: consumerClock,
  };
  const { deal, received } = await w.invited(w.partner, w.other);
  inviting = deal;
  accepted = (
    await acceptInvitation(w.deps, w.other, {
      dealId: received.id,
      team: [{ name: 'Ada', email: 'adatum-admin@adatum.example', phone: '+49 1' }],
    })
  ).deal;
});

const comment = async (text: string, at: string): Promise<DomainEvent> => {
  w.setNow(at);
  consumerClock.set(at);
  const written = await addComment(w.deps, w.partner, {
    dealId: inviting.id,
    text,
    visibility: 'engagement',
  });
  const event = w.deps.deals.outbox.find((e) => e.commentId === written.id);
  if (!event) throw new Error('no comment.created event');
  return event;
};

describe('the comment digest', () => {
  it('emails the other org’s team at most once per deal per hour, carrying every comment since the last one', async () => {
    const first = await comment('FIRST-COMMENT', '2026-11-01T10:00:00.000Z');
    const [email, ...more] = await planNotifications(deps, first, APP);
    expect(more).toEqual([]);
    expect(email?.to).toBe('adatum-admin@adatum.example');
    expect(email?.text).toContain('FIRST-COMMENT');
    expect(email?.text).toContain(`${APP}/deals/${accepted.id}`);

    // Ten minutes later: throttled, no email.
    const second = await comment('SECOND-COMMENT', '2026-11-01T10:10:00.000Z');
    expect(await planNotifications(deps, second, APP)).toEqual([]);
    // A redelivered first event plans its digest again (the consumer's channels send it once).
    expect((await planNotifications(deps, first, APP)).map((e) => e.to)).toEqual([
      'adatum-admin@adatum.example',
    ]);

    // An hour after the first digest: the next one carries the throttled comment too.
    const third = await comment('THIRD-COMMENT', '2026-11-01T11:00:01.000Z');
    const [digest] = await planNotifications(deps, third, APP);
    expect(digest?.text).toContain('SECOND-COMMENT');
    expect(digest?.text).toContain('THIRD-COMMENT');
    expect(digest?.text).not.toContain('FIRST-COMMENT');
    expect(digest?.subject).toContain('2 new comments');
  });

  describe('when no later comment comes', () => {
    const digestEvents = () => w.deps.deals.outbox.filter((event) => event.type === 'comment.digest');
    const sweepAt = async (at: string) => {
      w.setNow(at);
      consumerClock.set(at);
      return sendDueDigests(w.deps);
    };
    const throttled = async () => {
      const first = await comment('FIRST-COMMENT', '2026-11-01T10:00:00.000Z');
      expect(await planNotifications(deps, first, APP)).toHaveLength(1);
      const second = await comment('SECOND-COMMENT', '2026-11-01T10:10:00.000Z');
      expect(await planNotifications(deps, second, APP)).toEqual([]);
    };

    it('owes a digest for a throttled comment, due an hour after the last digest', async () => {
      await throttled();
      const mark = await w.deps.comments.digestMark(accepted.id);
      expect(mark?.owed).toEqual({
        dueAt: '2026-11-01T11:00:00.000Z',
        orgId: accepted.orgId,
        engagementId: accepted.engagementId,
      });
      // A third throttled comment owes nothing more: the owed digest will carry it.
      const third = await comment('THIRD-COMMENT', '2026-11-01T10:20:00.000Z');
      expect(await planNotifications(deps, third, APP)).toEqual([]);
      expect((await w.deps.comments.digestMark(accepted.id))?.owed?.dueAt).toBe('2026-11-01T11:00:00.000Z');
    });

    it('is sent by the sweep after the hour, exactly once, with every throttled comment', async () => {
      await throttled();
      expect(await sweepAt('2026-11-01T10:59:59.000Z')).toMatchObject({ claimed: 0 });
      expect(digestEvents()).toEqual([]);

      expect(await sweepAt('2026-11-01T11:02:00.000Z')).toMatchObject({ claimed: 1 });
      const [event, ...others] = digestEvents();
      expect(others).toEqual([]);
      expect(event).toMatchObject({ orgId: accepted.orgId, dealId: accepted.id });
      if (!event) throw new Error('no digest event');
      const [email, ...more] = await planNotifications(deps, event, APP);
      expect(more).toEqual([]);
      expect(email?.to).toBe('adatum-admin@adatum.example');
      expect(email?.text).toContain('SECOND-COMMENT');
      expect(email?.text).not.toContain('FIRST-COMMENT');
      // A redelivery plans the same digest again (the consumer's channels send it once).
      expect((await planNotifications(deps, event, APP)).map((e) => e.text)).toEqual([email?.text]);

      // Settled: the next sweep finds nothing, and a comment within the hour is throttled again.
      expect(await sweepAt('2026-11-01T11:07:00.000Z')).toMatchObject({ read: 0, claimed: 0 });
      expect(digestEvents()).toHaveLength(1);
      const fourth = await comment('FOURTH-COMMENT', '2026-11-01T11:10:00.000Z');
      expect(await planNotifications(deps, fourth, APP)).toEqual([]);
      expect((await w.deps.comments.digestMark(accepted.id))?.owed?.dueAt).toBe('2026-11-01T12:02:00.000Z');
    });

    it('sends one digest when the sweep claims first and a new comment’s event comes after', async () => {
      await throttled();
      const third = await comment('THIRD-COMMENT', '2026-11-01T11:00:01.000Z');
      expect(await sweepAt('2026-11-01T11:00:02.000Z')).toMatchObject({ claimed: 1 });
      // The sweep's digest already covers the comment: its own event sends and owes nothing.
      expect(await planNotifications(deps, third, APP)).toEqual([]);
      expect((await w.deps.comments.digestMark(accepted.id))?.owed).toBeUndefined();
      const [event] = digestEvents();
      if (!event) throw new Error('no digest event');
      const emails = await planNotifications(deps, event, APP);
      expect(emails).toHaveLength(1);
      expect(emails[0]?.text).toContain('SECOND-COMMENT');
      expect(emails[0]?.text).toContain('THIRD-COMMENT');
    });

    it('sends one digest when a new comment claims first and the sweep read the due entry before', async () => {
      await throttled();
      // The sweep's read of the index, taken before the comment's digest claimed the mark.
      const staleIndex = await w.deps.comments.dueDigests('2026-11-01T11:00:02.000Z', 100);
      expect(staleIndex).toHaveLength(1);
      const third = await comment('THIRD-COMMENT', '2026-11-01T11:00:01.000Z');
      const emails = await planNotifications(deps, third, APP);
      expect(emails).toHaveLength(1);
      expect(emails[0]?.text).toContain('SECOND-COMMENT');
      expect(emails[0]?.text).toContain('THIRD-COMMENT');

      w.setNow('2026-11-01T11:00:02.000Z');
      const comments = w.deps.comments;
      const run = await sendDueDigests({
        ...w.deps,
        comments: {
          dueDigests: async () => staleIndex,
          putDigestMark: (mark, read, events) => comments.putDigestMark(mark, read, events),
        },
      });
      expect(run).toMatchObject({ read: 1, claimed: 0, skipped: 1 });
      expect(digestEvents()).toEqual([]);
      expect(await comments.dueDigests('2026-11-01T12:00:00.000Z', 100)).toEqual([]);
    });
  });

  it('makes no event of an org comment', async () => {
    w.setNow('2026-11-01T10:00:00.000Z');
    await addComment(w.deps, w.partner, { dealId: inviting.id, text: 'ours', visibility: 'org' });
    expect(w.deps.deals.outbox.some((event) => event.type === 'comment.created')).toBe(false);
  });
});
