/**
 * Responsiveness of an org to invitations (docs/domain.md §8): how fast it answers and how often it answers
 * at all, over a sliding window. Answers are counted per day and per answer-time bucket, so the
 * counters can be kept with atomic increments in the same transaction as the answer, and summarized
 * later without reading the answers one by one. The median is therefore a bucket bound: "answers
 * within N hours".
 */
import type { InvitationAnswer } from './model.ts';

export const RESPONSIVENESS_WINDOW_DAYS = 90;

/** Upper bounds of the answer-time buckets, in hours; 336 h is the 14-day invitation life. */
export const RESPONSE_BUCKETS_HOURS = [1, 4, 8, 24, 48, 72, 120, 168, 240, 336] as const;

/**
 * Counters of one day: invitations that ended (`total`), those answered, and answers per bucket
 * (by index into RESPONSE_BUCKETS_HOURS; buckets past the last one counted may be left out).
 */
export type DayCounters = { total: number; answered: number; buckets: number[] };

export type Responsiveness = {
  /** Median answer time as the bound of the bucket holding the median answer; null without answers. */
  medianResponseHours: number | null;
  /** Answered (accepted or declined) among all invitations that ended; null without any. */
  answerRate: number | null;
  answered: number;
  invitations: number;
};

const HOUR_MS = 60 * 60 * 1000;

export const bucketOf = (hours: number): number => {
  const index = RESPONSE_BUCKETS_HOURS.findIndex((bound) => hours <= bound);
  return index === -1 ? RESPONSE_BUCKETS_HOURS.length - 1 : index;
};

/** What one answer adds: the day it happened, whether it was an answer, and its bucket. */
export const answerIncrement = (
  answer: InvitationAnswer,
): { day: string; answered: boolean; bucket: number } => {
  const hours = (Date.parse(answer.answeredAt) - Date.parse(answer.invitedAt)) / HOUR_MS;
  return {
    day: answer.answeredAt.slice(0, 10),
    answered: answer.outcome !== 'expired',
    bucket: bucketOf(hours),
  };
};

/** The first day (`YYYY-MM-DD`) inside the window that ends at `now`. */
export const windowStart = (now: Date): string =>
  new Date(now.getTime() - (RESPONSIVENESS_WINDOW_DAYS - 1) * 24 * HOUR_MS).toISOString().slice(0, 10);

export const summarize = (days: ReadonlyMap<string, DayCounters>, from: string): Responsiveness => {
  let invitations = 0;
  let answered = 0;
  const buckets = RESPONSE_BUCKETS_HOURS.map(() => 0);
  for (const [day, counters] of days) {
    if (day < from) continue;
    invitations += counters.total;
    answered += counters.answered;
    counters.buckets.forEach((count, i) => {
      buckets[i] = (buckets[i] ?? 0) + count;
    });
  }
  let median: number | null = null;
  let seen = 0;
  for (const [i, count] of buckets.entries()) {
    seen += count;
    if (answered > 0 && seen * 2 >= answered) {
      median = RESPONSE_BUCKETS_HOURS[i] ?? null;
      break;
    }
  }
  return {
    medianResponseHours: median,
    answerRate: invitations > 0 ? answered / invitations : null,
    answered,
    invitations,
  };
};
