/**
 * The comment digest (docs/domain.md §7): engagement comments email the other orgs' deal teams at
 * most once per deal per hour. Each recipient deal has one digest mark in the table; a digest is sent
 * only by the event that wins the conditional write of that mark, so two consumers, a redelivered
 * record or a burst of comments never send more than one email per deal and hour, and nothing about
 * it lives in a process's memory. A digest carries every engagement comment since the previous one
 * (up to the comment that triggered it), so comments written while the deal was throttled reach the
 * team with the next digest.
 */
import type { Comment } from '../model.ts';
import type { CommentStore } from '../ports.ts';

export const DIGEST_WINDOW_MS = 60 * 60 * 1000;
/** How many comments one digest shows (the newest); the deal has the rest. */
export const DIGEST_MAX_COMMENTS = 10;
const ATTEMPTS = 3;

/** What a claimed digest covers: the engagement comments after `since` up to `through`. */
export type DigestClaim = { since?: string; through: string };

/**
 * Claims the digest of `dealId` for the event `eventId` (a comment written at `through`), at `now`
 * (ISO). Undefined when the deal's people were mailed a digest less than an hour ago; a retry of the
 * same event gets its own claim back unchanged.
 */
export const claimDigest = async (
  comments: Pick<CommentStore, 'digestMark' | 'putDigestMark'>,
  dealId: string,
  eventId: string,
  through: string,
  now: Date,
): Promise<DigestClaim | undefined> => {
  const windowStart = new Date(now.getTime() - DIGEST_WINDOW_MS).toISOString();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const mark = await comments.digestMark(dealId);
    if (mark?.eventId === eventId) return { ...(mark.since ? { since: mark.since } : {}), through };
    if (mark && mark.sentAt > windowStart) return undefined;
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
  comments: Pick<CommentStore, 'engagementCommentsSince'>,
  engagementId: string,
  claim: DigestClaim,
): Promise<Comment[]> =>
  (await comments.engagementCommentsSince(engagementId, claim.since, DIGEST_MAX_COMMENTS * 2))
    .filter((comment) => comment.createdAt <= claim.through)
    .slice(0, DIGEST_MAX_COMMENTS);
