import { describe, expect, it } from 'vitest';
import { randomByteFraction, randomBytesFromPool } from '#functions/adapters/random-pool.ts';
import { ulidIds } from '#functions/adapters/system.ts';

describe('the random pool', () => {
  it('hands out copies that a later draw or refill never changes', () => {
    const first = randomBytesFromPool(16);
    const kept = Buffer.from(first);
    // More than a pool's worth of draws forces refills.
    const later = Array.from({ length: 600 }, () => randomBytesFromPool(12).toString('hex'));
    expect(first).toEqual(kept);
    expect(new Set(later).size).toBe(later.length);
    expect(() => randomBytesFromPool(4097)).toThrow(RangeError);
  });

  it('gives ulid fractions in [0, 1) on a 1/256 grid that cover every character', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 4000; i++) {
      const x = randomByteFraction();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      expect(Number.isInteger(x * 256)).toBe(true);
      seen.add(Math.floor(x * 32));
    }
    expect(seen.size).toBe(32);
    const ids = Array.from({ length: 1000 }, () => ulidIds.next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
