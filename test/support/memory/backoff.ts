import type { Backoff } from '#domain/kernel/retry.ts';

/**
 * A Backoff that never waits and draws the same jitter every time; it records every pause asked for.
 * Its clock stands still, so every attempt counts as the shortest slot.
 */
export class RecordingBackoff implements Backoff {
  readonly pauses: number[] = [];
  constructor(private readonly jitter = 0.5) {}
  random(): number {
    return this.jitter;
  }
  async sleep(ms: number): Promise<void> {
    this.pauses.push(ms);
  }
  now(): number {
    return 0;
  }
}
