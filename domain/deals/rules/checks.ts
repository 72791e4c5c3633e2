import { type Actor, sameEmail, seesAllDeals } from '../../kernel/actor.ts';
import { ValidationError } from '../../kernel/errors.ts';
import type { TeamMember } from '../model.ts';

/** `YYYY-MM-DD` of the given instant in UTC: dates in this API are calendar dates without a zone. */
export const utcDate = (instant: Date): string => instant.toISOString().slice(0, 10);

/** Close dates must lie after today (UTC); today itself is already too late to plan a close. */
export const requireFutureDate = (date: string, now: Date, path: string): void => {
  if (date <= utcDate(now)) throw ValidationError.field(path, `Use a date after ${utcDate(now)}.`);
};

/**
 * A referral-user sees only deals it is on the team of, so it may not leave itself off a team it
 * writes: the deal would vanish from its own view.
 */
export const requireSelfOnTeam = (actor: Actor, team: readonly TeamMember[]): void => {
  if (seesAllDeals(actor)) return;
  if (!team.some((member) => sameEmail(member.email, actor.email))) {
    throw ValidationError.field('team', 'Keep yourself on the team: you only see deals you are on.');
  }
};
