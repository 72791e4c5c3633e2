import { describe, expect, it } from 'vitest';
import type { Solution } from '#domain/directory/model.ts';
import { CachedSolutionStore } from '#functions/adapters/cached-solution-store.ts';
import { MemorySolutionStore } from '#test/support/memory/solutions.ts';

const solution = (id: string, incentiveEligible: boolean): Solution => ({
  id,
  ownerOrgId: 'host',
  kind: 'host',
  name: id,
  coSellReady: true,
  incentiveEligible,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('CachedSolutionStore', () => {
  it('serves what it read until the time to live passes, then reads again', async () => {
    const inner = new MemorySolutionStore();
    let now = 0;
    let reads = 0;
    const counting = Object.assign(Object.create(inner), {
      getMany: (ids: readonly string[]) => {
        reads += 1;
        return inner.getMany(ids);
      },
    }) as MemorySolutionStore;
    const cached = new CachedSolutionStore(counting, 1000, () => now);
    await inner.create(solution('a', true), 0);

    expect((await cached.getMany(['a', 'missing'])).map((s) => s.incentiveEligible)).toEqual([true]);
    await inner.update({ ...solution('a', false), updatedAt: 'later' }, '2026-01-01T00:00:00.000Z', 0);
    now = 999;
    expect((await cached.getMany(['a'])).map((s) => s.incentiveEligible)).toEqual([true]);
    expect(await cached.getMany(['missing'])).toEqual([]);
    expect(reads).toBe(1);
    now = 1000;
    expect((await cached.getMany(['a'])).map((s) => s.incentiveEligible)).toEqual([false]);
    expect(reads).toBe(2);
  });

  it('reads single solutions fresh and keeps its own writes', async () => {
    const inner = new MemorySolutionStore();
    const cached = new CachedSolutionStore(inner, 60_000, () => 0);
    await cached.create(solution('b', false), 0);
    await inner.update({ ...solution('b', true), updatedAt: 'later' }, '2026-01-01T00:00:00.000Z', 0);
    expect((await cached.get('b'))?.incentiveEligible).toBe(true);
    expect((await cached.getMany(['b']))[0]?.incentiveEligible).toBe(false);
  });
});
