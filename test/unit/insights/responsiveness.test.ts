import { describe, expect, it } from 'vitest';
import {
  answerIncrement,
  bucketOf,
  type DayCounters,
  RESPONSE_BUCKETS_HOURS,
  summarize,
  windowStart,
} from '#domain/insights/responsiveness.ts';

const day = (answered: number, total: number, perBucket: Record<number, number>): DayCounters => ({
  total,
  answered,
  buckets: RESPONSE_BUCKETS_HOURS.map((_, i) => perBucket[i] ?? 0),
});

describe('responsiveness', () => {
  it.each([
    [0.5, 1],
    [1, 1],
    [1.01, 4],
    [23, 24],
    [200, 240],
    [400, 336],
  ])('puts an answer after %f hours in the bucket up to %i hours', (hours, bound) => {
    expect(RESPONSE_BUCKETS_HOURS[bucketOf(hours)]).toBe(bound);
  });

  it('counts an expiry as an invitation without an answer', () => {
    const answer = { orgId: 'o', dealId: 'd', invitedAt: '2026-01-01T00:00:00.000Z' };
    expect(
      answerIncrement({ ...answer, answeredAt: '2026-01-01T03:00:00.000Z', outcome: 'declined' }),
    ).toEqual({
      day: '2026-01-01',
      answered: true,
      bucket: 1,
    });
    expect(
      answerIncrement({ ...answer, answeredAt: '2026-01-15T00:00:00.000Z', outcome: 'expired' }).answered,
    ).toBe(false);
  });

  it('summarizes the window: median bucket of the answers, answer rate over every ended invitation', () => {
    const days = new Map([
      ['2026-01-01', day(1, 1, { 0: 1 })],
      ['2026-03-01', day(2, 3, { 0: 1, 3: 1 })],
      ['2026-03-02', day(2, 2, { 5: 2 })],
    ]);
    // Five answers: buckets 0, 0, 3, 5, 5 → the median (third) is in bucket 3 (≤ 24 h).
    expect(summarize(days, '2025-12-01')).toEqual({
      medianResponseHours: 24,
      answerRate: 5 / 6,
      answered: 5,
      invitations: 6,
    });
    // The window excludes January: answers 0, 3, 5, 5 → the second is in bucket 3.
    expect(summarize(days, '2026-02-01')).toMatchObject({
      medianResponseHours: 24,
      answered: 4,
      invitations: 5,
    });
    expect(summarize(new Map(), '2026-01-01')).toEqual({
      medianResponseHours: null,
      answerRate: null,
      answered: 0,
      invitations: 0,
    });
  });

  it('starts the 90-day window 89 days before today', () => {
    expect(windowStart(new Date('2026-03-31T10:00:00.000Z'))).toBe('2026-01-01');
  });
});
