import { beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { addComment } from '#domain/deals/use-cases/comments.ts';
import type { DomainEvent } from '#domain/events.ts';
import type { Deal } from '#domain/model.ts';
import { planNotifications } from '#domain/notifications/plan.ts';
import type { NotificationDeps } from '#domain/ports.ts';
import { type DealWorld, dealWorld, settableClock } from '#test/support/deal-world.ts';

const APP = 'https://app.example';
let w: DealWorld;
let consumerClock: ReturnType<typeof settableClock>;
let deps: Pick<NotificationDeps, 'deals' | 'memberships' | 'comments' | 'clock'>;
let inviting: Deal;
let accepted: Deal;

beforeEach(async () => {
  w = await dealWorld();
  consumerClock = settableClock('2026-11-01T10:00:00.000Z');
  deps = {
    deals: w.deps.deals,
    memberships: w.deps.memberships,
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

  it('makes no event of an org comment', async () => {
    w.setNow('2026-11-01T10:00:00.000Z');
    await addComment(w.deps, w.partner, { dealId: inviting.id, text: 'ours', visibility: 'org' });
    expect(w.deps.deals.outbox.some((event) => event.type === 'comment.created')).toBe(false);
  });
});
