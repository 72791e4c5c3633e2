/**
 * How often an org may be invited to one engagement (docs/api.md "Limits that hold under concurrency
 * and abuse"): at most 3 invitations within any 24 hours, each new invitation after a decline,
 * expiry or withdrawal counting; and at most one invitation email per hour, so inviting and
 * withdrawing in a loop neither floods the org's inbox nor its inbound list.
 *
 * The rule decides from the org's rate record as read and the invitation write stores the next
 * record in the same transaction, conditioned on the record's version as read (DealPlan
 * `invitationRates`): two invitations can never both pass on one reading.
 */
import { RateLimitedError } from '../../kernel/errors.ts';
import type { InvitationRate } from '../model.ts';

export const INVITATIONS_PER_DAY = 3;
export const INVITATION_WINDOW_MS = 24 * 60 * 60 * 1000;
export const INVITATION_EMAIL_INTERVAL_MS = 60 * 60 * 1000;

/** The next rate record an invitation writes, and the version it must still find (none: absent). */
export type InvitationRateWrite = { readVersion: number | undefined; next: InvitationRate };

/** What one more invitation of an org does: its rate write, and whether it is emailed. */
export type CountedInvitation = { rate: InvitationRateWrite; emailed: boolean };

/**
 * Counts one more invitation of `orgId` to `engagementId` at `now` after `previous` (the org's
 * record as read, if any). Refuses the 4th within 24 hours with 429 `invitation-limit`, telling
 * when the oldest counted invitation leaves the window.
 */
export const countInvitation = (
  previous: InvitationRate | undefined,
  engagementId: string,
  org: { id: string; name: string },
  now: Date,
): CountedInvitation => {
  const windowStart = now.getTime() - INVITATION_WINDOW_MS;
  const recent = (previous?.invitedAt ?? []).filter((at) => Date.parse(at) > windowStart);
  const [oldest] = recent;
  if (oldest !== undefined && recent.length >= INVITATIONS_PER_DAY) {
    const seconds = Math.ceil((Date.parse(oldest) + INVITATION_WINDOW_MS - now.getTime()) / 1000);
    throw new RateLimitedError(
      'invitation-limit',
      `${org.name} was invited to this engagement ${INVITATIONS_PER_DAY} times in the last 24 hours; you can invite it again in ${describeWait(seconds)}.`,
      Math.max(1, seconds),
    );
  }
  const emailed =
    previous?.emailedAt === undefined ||
    Date.parse(previous.emailedAt) + INVITATION_EMAIL_INTERVAL_MS <= now.getTime();
  const at = now.toISOString();
  return {
    emailed,
    rate: {
      readVersion: previous?.version,
      next: {
        engagementId,
        orgId: org.id,
        invitedAt: [...recent, at],
        ...(emailed ? { emailedAt: at } : previous?.emailedAt ? { emailedAt: previous.emailedAt } : {}),
        version: (previous?.version ?? 0) + 1,
      },
    },
  };
};

/** A wait in words a person reads: minutes under two hours, else hours. */
const describeWait = (seconds: number): string => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes < 120 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
};

/** Until when a rate record matters: a day after its latest invitation (the store's expiry). */
export const rateExpiresAt = (rate: InvitationRate): string | undefined => {
  const latest = rate.invitedAt.at(-1);
  return latest === undefined ? undefined : new Date(Date.parse(latest) + INVITATION_WINDOW_MS).toISOString();
};
