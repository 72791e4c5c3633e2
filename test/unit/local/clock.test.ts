import { describe, expect, it } from 'vitest';
import { addDuration, createControllableClock, isIsoDuration } from '#infra/local/clock.ts';

describe('controllable clock', () => {
  it('adds ISO 8601 durations, calendar parts by calendar', () => {
    const from = new Date('2026-01-31T10:00:00Z');
    expect(addDuration(from, 'P15D').toISOString()).toBe('2026-02-15T10:00:00.000Z');
    expect(addDuration(from, 'PT1H30M').toISOString()).toBe('2026-01-31T11:30:00.000Z');
    expect(addDuration(from, 'P2W').toISOString()).toBe('2026-02-14T10:00:00.000Z');
    expect(addDuration(from, 'P1Y2M').toISOString()).toBe('2027-03-31T10:00:00.000Z');
    for (const bad of ['P', 'PT', '15D', 'P1.5D', 'P-1D']) expect(isIsoDuration(bad), bad).toBe(false);
  });

  it('keeps an offset from real time that advance, set and reset move', () => {
    let real = Date.parse('2026-05-01T00:00:00Z');
    const clock = createControllableClock(() => real);
    clock.advance('P15D');
    expect(clock.now().toISOString()).toBe('2026-05-16T00:00:00.000Z');
    real += 1000;
    expect(clock.now().toISOString()).toBe('2026-05-16T00:00:01.000Z');
    clock.set(new Date('2030-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    clock.reset();
    expect(clock.now().getTime()).toBe(real);
    expect(clock.offsetMs()).toBe(0);
  });
});
