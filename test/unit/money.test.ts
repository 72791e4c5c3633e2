import { describe, expect, it } from 'vitest';
import {
  amountProblem,
  CURRENCY_MINOR_UNITS,
  decimalPlaces,
  isCurrency,
  MAX_AMOUNT,
} from '#domain/kernel/money.ts';

describe('currencies', () => {
  it('knows the active ISO 4217 currencies with their minor units', () => {
    expect(CURRENCY_MINOR_UNITS.get('EUR')).toBe(2);
    expect(CURRENCY_MINOR_UNITS.get('USD')).toBe(2);
    expect(CURRENCY_MINOR_UNITS.get('JPY')).toBe(0);
    expect(CURRENCY_MINOR_UNITS.get('KRW')).toBe(0);
    expect(CURRENCY_MINOR_UNITS.get('BHD')).toBe(3);
    expect(CURRENCY_MINOR_UNITS.get('KWD')).toBe(3);
    expect(CURRENCY_MINOR_UNITS.size).toBeGreaterThan(150);
    for (const code of CURRENCY_MINOR_UNITS.keys()) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('refuses codes that are not a currency: no currency, testing, metals, funds, withdrawn, unassigned', () => {
    for (const code of ['XXX', 'XTS', 'XAU', 'XDR', 'CHE', 'HRK', 'ZZZ', 'eur', 'EURO', ''])
      expect(isCurrency(code), code).toBe(false);
  });
});

describe('amounts', () => {
  it('counts decimals as the number is written, exponent notation included', () => {
    expect(decimalPlaces(0)).toBe(0);
    expect(decimalPlaces(250_000)).toBe(0);
    expect(decimalPlaces(1e21)).toBe(0);
    expect(decimalPlaces(100.1)).toBe(1);
    expect(decimalPlaces(1.005)).toBe(3);
    expect(decimalPlaces(0.1 + 0.2)).toBe(17);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(1.5e-7)).toBe(8);
    expect(decimalPlaces(1e-131)).toBe(131);
    expect(decimalPlaces(5e-324)).toBe(324);
  });

  it("accepts 0 to 10^13 with at most the currency's minor unit of decimals", () => {
    for (const [amount, currency] of [
      [0, 'EUR'],
      [MAX_AMOUNT, 'EUR'],
      [19.99, 'EUR'],
      [1500, 'JPY'],
      [1.005, 'BHD'],
      [9_999_999_999_999.99, 'USD'],
    ] as const)
      expect(amountProblem(amount, currency), `${amount} ${currency}`).toBeUndefined();
  });

  it('refuses tiny, subnormal, huge, negative, non-finite and over-precise amounts', () => {
    for (const [amount, currency] of [
      [1e-131, 'EUR'],
      [5e-324, 'EUR'],
      [2.2250738585072014e-308, 'BHD'],
      [1e-7, 'BHD'],
      [MAX_AMOUNT + 1, 'EUR'],
      [1e21, 'JPY'],
      [Number.MAX_VALUE, 'EUR'],
      [-1, 'EUR'],
      [Number.POSITIVE_INFINITY, 'EUR'],
      [Number.NaN, 'EUR'],
      [1.005, 'EUR'],
      [0.1 + 0.2, 'USD'],
      [1.5, 'JPY'],
      [1.0005, 'BHD'],
    ] as const)
      expect(amountProblem(amount, currency), `${amount} ${currency}`).toEqual(expect.any(String));
    expect(amountProblem(1.5, 'JPY')).toBe('JPY amounts are whole numbers.');
    expect(amountProblem(1.005, 'EUR')).toBe('EUR amounts have at most 2 decimals.');
  });
});
