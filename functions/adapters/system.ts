import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicFactory } from 'ulid';
import type { Backoff, Clock, Ids } from '#domain/ports.ts';
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
