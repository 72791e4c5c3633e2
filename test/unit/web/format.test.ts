/** The console writes money and percentages in the reader's locale, each currency with its own decimals. */
import { describe, expect, it } from 'vitest';
import { formatCount, formatMoney, formatPercent, formatShare } from '../../../web/src/common/ui/format.ts';

const NBSP = '\u00a0';

describe('the console’s number formats', () => {
  it('write money the locale’s way, with the currency’s own decimals', () => {
    expect(formatMoney({ amount: 1234.5, currency: 'EUR' }, 'en-US')).toBe('€1,234.50');
    expect(formatMoney({ amount: 1234.5, currency: 'EUR' }, 'de-DE')).toBe(`1.234,50${NBSP}€`);
    expect(formatMoney({ amount: 1234, currency: 'JPY' }, 'en-US')).toBe('¥1,234');
    expect(formatMoney({ amount: 1.234, currency: 'BHD' }, 'de-DE')).toBe(`1,234${NBSP}BHD`);
  });

  it('write a probability (0–100) and a share (0–1) as percentages the locale’s way', () => {
    expect(formatPercent(60, 'en-US')).toBe('60%');
    expect(formatPercent(60, 'de-DE')).toBe(`60${NBSP}%`);
    expect(formatShare(0.5, 'en-US')).toBe('50%');
    expect(formatShare(2 / 3, 'de-DE')).toBe(`67${NBSP}%`);
  });

  it('group counts the locale’s way', () => {
    expect(formatCount(2000, 'en-US')).toBe('2,000');
    expect(formatCount(2000, 'de-DE')).toBe('2.000');
  });

  it('follow the browser’s locale when given none', () => {
    const browser = new Intl.NumberFormat().resolvedOptions().locale;
    expect(formatMoney({ amount: 5, currency: 'EUR' })).toBe(
      formatMoney({ amount: 5, currency: 'EUR' }, browser),
    );
    expect(formatPercent(20)).toBe(formatPercent(20, browser));
  });
});
