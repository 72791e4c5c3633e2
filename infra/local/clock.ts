/**
 * The domain clock of the local runtime: real time plus an offset that /dev/clock moves, so a
 * person or an e2e test can jump 15 days ahead and watch invitations expire. Token expiry keeps
 * real time (the authorizer does not read this clock).
 */
import type { Clock } from '#domain/ports.ts';

export type ControllableClock = Clock & {
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

export const createControllableClock = (realNow: () => number = Date.now): ControllableClock => {
  let offset = 0;
  const clock: ControllableClock = {
    now: () => new Date(realNow() + offset),
    offsetMs: () => offset,
    set: (now) => {
      offset = now.getTime() - realNow();
    },
    advance: (duration) => clock.set(addDuration(clock.now(), duration)),
    reset: () => {
      offset = 0;
    },
  };
  return clock;
};
