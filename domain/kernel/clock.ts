/** The time, injected: use cases never read the system clock, so tests need no fake timers. */
export interface Clock {
  now(): Date;
}
