import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicFactory } from 'ulid';
import type { Clock } from '#domain/kernel/clock.ts';
import type { Ids } from '#domain/kernel/ids.ts';
import type { Backoff } from '#domain/kernel/retry.ts';
import { randomByteFraction } from './random-pool.ts';

export const systemClock: Clock = { now: () => new Date() };

// Monotonic: ids made within one millisecond still sort in creation order.
const nextUlid = monotonicFactory(randomByteFraction);
export const ulidIds: Ids = { next: () => nextUlid() };

export const systemBackoff: Backoff = {
  random: () => Math.random(),
  sleep: async (ms) => void (await sleep(ms)),
  now: () => performance.now(),
};
