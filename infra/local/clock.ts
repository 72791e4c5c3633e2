/**
 * The domain clock of the local runtime: real time plus an offset that /dev/clock moves, so a
 * person or an e2e test can jump 15 days ahead and watch invitations expire. Token expiry keeps
 * real time (the authorizer does not read this clock). The offset lives in a SharedArrayBuffer, so
 * every function's worker follows the same clock (`followClock`).
 */
import type { Clock } from '#domain/kernel/clock.ts';

export type ControllableClock = Clock & {
  /** The offset's memory, for `followClock` in another thread. */
  shared: SharedArrayBuffer;
  /** Milliseconds the domain clock is ahead of real time (negative: behind). */
  offsetMs(): number;
  set(now: Date): void;
  /** Moves the clock forward by an ISO 8601 duration (`P15D`, `PT2H`, `P1M`, `P1Y2M3DT4H5M6S`, `P2W`). */
  advance(duration: string): void;
  reset(): void;
};

const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export const isIsoDuration = (value: string): boolean => DURATION.test(value);

/** `from` moved forward by `duration`; years and months move by calendar (UTC), the rest exactly. */
export const addDuration = (from: Date, duration: string): Date => {
  const match = DURATION.exec(duration);
  if (!match) throw new Error(`Not an ISO 8601 duration: ${duration}`);
  const [, years, months, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  const result = new Date(from.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years!, result.getUTCMonth() + months!);
  const exactMs = ((((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
  return new Date(result.getTime() + exactMs);
};

const offsetOf = (shared: SharedArrayBuffer): BigInt64Array => new BigInt64Array(shared, 0, 1);

/** A read-only view of a controllable clock, from its shared offset (e.g. in a worker thread). */
export const followClock = (shared: SharedArrayBuffer, realNow: () => number = Date.now): Clock => {
  const offset = offsetOf(shared);
  return { now: () => new Date(realNow() + Number(Atomics.load(offset, 0))) };
};

export const createControllableClock = (realNow: () => number = Date.now): ControllableClock => {
  const shared = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  const offset = offsetOf(shared);
  const setOffset = (ms: number) => Atomics.store(offset, 0, BigInt(Math.round(ms)));
  const clock: ControllableClock = {
    shared,
    now: () => new Date(realNow() + Number(Atomics.load(offset, 0))),
    offsetMs: () => Number(Atomics.load(offset, 0)),
    set: (now) => setOffset(now.getTime() - realNow()),
    advance: (duration) => clock.set(addDuration(clock.now(), duration)),
    reset: () => setOffset(0),
  };
  return clock;
};
