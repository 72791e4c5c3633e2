import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { ConflictError, NotFoundError, PreconditionFailedError } from '#domain/kernel/errors.ts';
import type { Backoff } from '#domain/kernel/retry.ts';
import { RETRY_POLICY, type RetryPolicy, retryOnConflict } from '#domain/kernel/retry.ts';
import { problemResponse } from '#functions/http/problem.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';
import { RecordingBackoff } from '#test/support/memory/backoff.ts';

/** A deterministic jitter source (mulberry32), so a simulated race runs the same every time. */
const seededRandom = (seed: number) => {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/**
 * Simulated time for a Backoff: a pause resolves when every running task waits and it is the earliest
 * pending one. Store latency and backoff pauses share the timeline, so races play out as they would.
 */
class VirtualTime implements Backoff {
  private time = 0;
  private readonly timers: { at: number; resolve: () => void }[] = [];
  constructor(readonly random: () => number) {}
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.time + ms, resolve }));
  }
  now(): number {
    return this.time;
  }
  async run<T>(tasks: Promise<T>[]): Promise<T[]> {
    let finished = false;
    const all = Promise.all(tasks).finally(() => {
      finished = true;
    });
    while (!finished) {
      // Every task that can run goes on until it waits for a timer.
      await new Promise((resolve) => setImmediate(resolve));
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) break;
      this.time = next.at;
      next.resolve();
    }
    return all;
  }
}

const raced = () => new ConflictError('concurrent-update', 'lost the race');

/** An attempt that loses `losses` races, then returns `value`. */
const losing = <T>(losses: number, value: T) => {
  let calls = 0;
  const attempt = async () => {
    calls++;
    if (calls <= losses) throw raced();
    return value;
  };
  return { attempt, calls: () => calls };
};

describe('retryOnConflict: the one retry policy for lost races', () => {
  it('pauses a jittered, doubling, capped number of slots before each new attempt until it lands', async () => {
    const backoff = new RecordingBackoff(0.5);
    const { attempt, calls } = losing(8, 'landed');
    await expect(retryOnConflict(backoff, attempt)).resolves.toBe('landed');
    expect(calls()).toBe(9);
    // Half of min(64, 2^n) slots of 25 ms (the attempts took no time): the window doubles up to the cap.
    expect(backoff.pauses).toEqual([12, 25, 50, 100, 200, 400, 800, 800]);
  });

  it('draws each pause from the jitter source, so racing writers spread out', async () => {
    const draws = [0, 0.99, 0.25];
    const backoff = new RecordingBackoff();
    backoff.random = () => draws.shift() ?? 0;
    await retryOnConflict(backoff, losing(3, 'ok').attempt);
    expect(backoff.pauses).toEqual([0, 49, 25]);
  });

  it('sizes a slot by how long the attempt took, so a slower store gets wider windows', async () => {
    const time = new VirtualTime(() => 0.4);
    let losses = 3;
    const slowAttempt = async () => {
      await time.sleep(300);
      if (losses-- > 0) throw raced();
    };
    const pauses: number[] = [];
    const sleep = time.sleep.bind(time);
    time.sleep = (ms) => {
      if (ms !== 300) pauses.push(ms);
      return sleep(ms);
    };
    await time.run([retryOnConflict(time, slowAttempt)]);
    // 0.4 of 1, 2, 4 slots of 300 ms, the time each attempt took.
    expect(pauses).toEqual([120, 240, 480]);
  });

  it('gives up when the next pause would pass the wait budget: 409 concurrent-update with Retry-After', async () => {
    const backoff = new RecordingBackoff(0.99);
    const policy: RetryPolicy = { ...RETRY_POLICY, budgetSlots: 80 };
    const { attempt, calls } = losing(Number.POSITIVE_INFINITY, 'never');
    const failure = await retryOnConflict(backoff, attempt, policy).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toMatchObject({ code: 'concurrent-update', retryAfterSeconds: policy.retryAfterSeconds });
    const waited = backoff.pauses.reduce((sum, pause) => sum + pause, 0);
    expect(waited).toBeLessThanOrEqual(policy.budgetSlots * policy.minSlotMs);
    expect(backoff.pauses.length).toBeGreaterThan(3);
    expect(calls()).toBe(backoff.pauses.length + 1);
  });

  it('gives up after the most attempts even when the jitter keeps drawing zero', async () => {
    const backoff = new RecordingBackoff(0);
    const { attempt, calls } = losing(Number.POSITIVE_INFINITY, 'never');
    await expect(retryOnConflict(backoff, attempt)).rejects.toMatchObject({ code: 'concurrent-update' });
    expect(calls()).toBe(RETRY_POLICY.maxAttempts);
  });

  it.each([10, 25, 100, 1_000])(
    'lets 50 writers racing at one record all land within the default budget (each attempt %i ms)',
    async (latencyMs) => {
      const time = new VirtualTime(seededRandom(latencyMs));
      let version = 0;
      // One writer's attempt: read the version, take the store's latency, write only if nobody wrote since.
      const attempt = async () => {
        const read = version;
        await time.sleep(latencyMs);
        if (version !== read) throw raced();
        version++;
      };
      const outcomes = await time.run(
        Array.from({ length: 50 }, () =>
          retryOnConflict(time, attempt).then(
            () => 'landed',
            (error: unknown) => error,
          ),
        ),
      );
      expect(outcomes).toEqual(outcomes.map(() => 'landed'));
      expect(version).toBe(50);
    },
  );

  it('passes every other outcome through at once', async () => {
    const backoff = new RecordingBackoff();
    await expect(
      retryOnConflict(backoff, async () => {
        throw new NotFoundError('The deal');
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(backoff.pauses).toEqual([]);
  });

  it('is rendered as 409 problem+json with a Retry-After header', () => {
    const error = new ConflictError('concurrent-update', 'busy', { retryAfterSeconds: 1 });
    const response = problemResponse(error, 'req-1');
    expect(response.statusCode).toBe(409);
    expect(response.headers).toMatchObject({
      'retry-after': '1',
      'content-type': 'application/problem+json',
    });
    expect(problemResponse(new ConflictError('terminal-deal', 'done'), 'req-2').headers).not.toHaveProperty(
      'retry-after',
    );
  });
});

describe('deal writes use it', () => {
  let w: DealWorld;
  let deal: Deal;
  beforeEach(async () => {
    w = await dealWorld();
    deal = await w.create(w.partner);
  });

  /** Makes the next `times` deal writes lose their race: another writer moves the deal on just before. */
  const competeBeforeWrites = (times: number) => {
    const write = w.deps.deals.commit.bind(w.deps.deals);
    let left = times;
    w.deps.deals.commit = async (plan) => {
      const previous = plan.changed?.previous.deal;
      if (previous && left-- > 0) {
        const current = w.deps.deals.deals.get(`${previous.orgId}/${previous.id}`);
        if (current) current.version += 1;
      }
      return write(plan);
    };
  };

  it('an edit without If-Match re-reads and lands after lost races, pausing between attempts', async () => {
    competeBeforeWrites(3);
    const { deal: updated } = await updateDeal(w.deps, w.partner, { dealId: deal.id, name: 'Landed' });
    expect(updated).toMatchObject({ name: 'Landed', version: 5 });
    expect(w.deps.backoff.pauses).toEqual([12, 25, 50]);
  });

  it('an edit with If-Match that loses the race is 412 at once, without pausing', async () => {
    competeBeforeWrites(1);
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, name: 'x', expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(w.deps.backoff.pauses).toEqual([]);
  });
});
