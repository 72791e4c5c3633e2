import { describe, expect, it } from 'vitest';
import { nextAttemptAt, RETRY_DELAYS_MS, RETRY_WINDOW_MS } from '#domain/webhooks/retry-schedule.ts';

const first = new Date('2026-11-01T09:00:00.000Z');
const at = (ms: number) => new Date(first.getTime() + ms);

describe('webhook retry schedule', () => {
  it('retries the first failure within a minute', () => {
    const next = nextAttemptAt(first, 1, at(1_000));
    expect(next!.getTime() - at(1_000).getTime()).toBeLessThanOrEqual(60_000);
    expect(next!.getTime()).toBeGreaterThan(at(1_000).getTime());
  });

  it('waits longer after each failure, up to the last pause, which repeats', () => {
    const now = at(0);
    const pauses = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(
      (attempts) => nextAttemptAt(first, attempts, now)!.getTime() - now.getTime(),
    );
    for (let i = 1; i < pauses.length; i++) expect(pauses[i]).toBeGreaterThanOrEqual(pauses[i - 1]!);
    expect(pauses[0]).toBeLessThan(pauses[RETRY_DELAYS_MS.length - 1]!);
    expect(pauses.at(-1)).toBe(RETRY_DELAYS_MS.at(-1));
  });

  it('makes the last retry at the end of the 24 hours and gives up after it', () => {
    const late = at(RETRY_WINDOW_MS - 60_000);
    expect(nextAttemptAt(first, 12, late)).toEqual(at(RETRY_WINDOW_MS));
    expect(nextAttemptAt(first, 13, at(RETRY_WINDOW_MS))).toBeUndefined();
    expect(nextAttemptAt(first, 13, at(RETRY_WINDOW_MS + 5_000))).toBeUndefined();
  });

  it('keeps a receiver that always fails to a bounded number of attempts in the window', () => {
    let attempts = 1;
    let now = first;
    for (;;) {
      const next = nextAttemptAt(first, attempts, now);
      if (!next) break;
      now = next;
      attempts += 1;
    }
    expect(now.getTime() - first.getTime()).toBe(RETRY_WINDOW_MS);
    expect(attempts).toBeGreaterThan(8);
    expect(attempts).toBeLessThan(20);
  });
});
