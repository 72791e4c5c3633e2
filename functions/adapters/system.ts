import { monotonicFactory } from 'ulid';
import type { Clock, Ids } from '#domain/ports.ts';

export const systemClock: Clock = { now: () => new Date() };

// Monotonic: ids made within one millisecond still sort in creation order.
const nextUlid = monotonicFactory();
export const ulidIds: Ids = { next: () => nextUlid() };
