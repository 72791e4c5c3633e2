/**
 * The comment digest (docs/domain.md §7): engagement comments email the other orgs' deal teams at
 * most once per deal per hour. Each recipient deal has one digest mark in the table; a digest is sent
 * only by the event that wins the conditional write of that mark, so two consumers, a redelivered
 * record or a burst of comments never send more than one email per deal and hour, and nothing about
 * it lives in a process's memory. A digest carries every engagement comment since the previous one
 * (up to the comment that triggered it). A comment that finds the deal throttled records on the mark
 * that a digest is owed, due when the hour is over; the scheduled sweep (`sendDueDigests`) claims
 * the mark for that digest unless a later comment's digest claimed it first, so a throttled comment
 * is mailed within the hour after the last digest even when no other comment follows.
 */

import type { Comment, Deal } from '../deals/model.ts';
import type { CommentStore } from '../deals/ports.ts';
import { DIGEST_COMMENTS } from '../deals/rules/comments.ts';
import type { Clock } from '../kernel/clock.ts';
import { completeEvents } from '../kernel/events.ts';
import type { Ids } from '../kernel/ids.ts';

export const DIGEST_WINDOW_MS = 60 * 60 * 1000;
/** How many comments one digest shows (the newest); the deal has the rest. */
export const DIGEST_MAX_COMMENTS = 10;
const ATTEMPTS = 3;

/** What a claimed digest covers: the engagement comments after `since` up to `through`. */
export type DigestClaim = { since?: string; through: string };

/**
 * Claims the digest of `deal` for the event `eventId` (a comment written at `through`, or the
 * sweep's digest event), at `now` (ISO). Undefined when the deal's people were mailed a digest less
 * than an hour ago: then a digest is owed (unless that digest already covers the comment); a retry
 * of the same event gets its own claim back unchanged.
 */
export const claimDigest = async (
  comments: Pick<CommentStore, 'digestMark' | 'putDigestMark' | 'markDigestOwed'>,
  deal: Pick<Deal, 'id' | 'orgId' | 'engagementId'>,
  eventId: string,
  through: string,
  now: Date,
): Promise<DigestClaim | undefined> => {
  const dealId = deal.id;
  const windowStart = new Date(now.getTime() - DIGEST_WINDOW_MS).toISOString();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const mark = await comments.digestMark(dealId);
    if (mark?.eventId === eventId)
      return { ...(mark.since ? { since: mark.since } : {}), through: mark.through ?? through };
    if (mark && mark.sentAt > windowStart) {
      if (mark.owed || (mark.through !== undefined && mark.through >= through)) return undefined;
      const owed = {
        dueAt: new Date(Date.parse(mark.sentAt) + DIGEST_WINDOW_MS).toISOString(),
        orgId: deal.orgId,
        engagementId: deal.engagementId,
      };
      if ((await comments.markDigestOwed(dealId, mark.eventId, owed)) === 'written') return undefined;
      continue;
    }
    const claim: DigestClaim = { ...(mark ? { since: mark.through ?? mark.sentAt } : {}), through };
    const written = await comments.putDigestMark(
      { dealId, eventId, sentAt: now.toISOString(), ...claim },
      mark?.eventId,
    );
    if (written === 'written') return claim;
  }
  // Another event kept winning the mark: that one sends the digest.
  return undefined;
};

/** The comments a claimed digest shows, newest first. */
export const digestComments = async (
  comments: Pick<CommentStore, 'commentsSince'>,
  engagementId: string,
  claim: DigestClaim,
): Promise<Comment[]> =>
  (
    await comments.commentsSince(
      { engagementId, anyOf: DIGEST_COMMENTS },
      claim.since,
      DIGEST_MAX_COMMENTS * 2,
    )
  )
    .filter((comment) => comment.createdAt <= claim.through)
    .slice(0, DIGEST_MAX_COMMENTS);

export type DigestSweep = { read: number; claimed: number; skipped: number };

/**
 * The sweep (run by the expiry job): every owed digest that is due gets a `comment.digest` event,
 * written with the claim of the mark in one conditional transaction, so a comment's digest that
 * claimed the mark meanwhile wins and this one is skipped, and two overlapping sweeps claim it once.
 * The event covers the engagement comments since the last digest up to now; the notification
 * consumer sends it to the deal's team like any digest.
 */
export const sendDueDigests = async (
  deps: { comments: Pick<CommentStore, 'dueDigests' | 'putDigestMark'>; clock: Clock; ids: Ids },
  options: { batchSize?: number } = {},
): Promise<DigestSweep> => {
  const now = deps.clock.now().toISOString();
  const run: DigestSweep = { read: 0, claimed: 0, skipped: 0 };
  const limit = options.batchSize ?? 100;
  for (;;) {
    const due = await deps.comments.dueDigests(now, limit);
    run.read += due.length;
    let claimed = 0;
    for (const mark of due) {
      if (!mark.owed) continue;
      const [event] = completeEvents(
        [
          {
            type: 'comment.digest',
            orgId: mark.owed.orgId,
            dealId: mark.dealId,
            engagementId: mark.owed.engagementId,
          },
        ],
        now,
        () => deps.ids.next(),
      );
      if (!event) continue;
      const written = await deps.comments.putDigestMark(
        {
          dealId: mark.dealId,
          eventId: event.id,
          sentAt: now,
          since: mark.through ?? mark.sentAt,
          through: now,
        },
        mark.eventId,
        [event],
      );
      if (written === 'written') claimed += 1;
      else run.skipped += 1;
    }
    run.claimed += claimed;
    // A full page that claimed nothing is stale index entries: the next run sees them settled.
    if (due.length < limit || claimed === 0) return run;
  }
};
