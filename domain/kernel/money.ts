/**
 * Money amounts (the API conventions): an active ISO 4217 currency and an amount from 0 to 10^13
 * with no more decimals than the currency's minor unit. The bound and the precision keep every
 * amount an exact decimal that DynamoDB stores as given (its numbers end at 1e-130; a JSON number
 * such as 5e-324 would otherwise reach it and fail).
 */
export const MAX_AMOUNT = 1e13;

export type Money = { amount: number; currency: string };

/**
 * ISO 4217 List One, currencies in circulation on 2026-01-01, with their minor units. Left out on
 * purpose: fund and accounting codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW, XDR, XSU, XUA),
 * precious metals and bond units (XAU, XAG, XPD, XPT, XBA-XBD), `XTS` (testing), `XXX` (no currency)
 * and withdrawn codes (ANG, BGN, CUC, HRK, SLL, ZWL): none of them prices a deal.
 */
const MINOR_UNITS: Readonly<Record<number, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF ' +
    'CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL ' +
    'HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT ' +
    'MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB ' +
    'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH ' +
    'USD UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
};

/** Active currency code → its minor unit (decimals). */
export const CURRENCY_MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries(MINOR_UNITS).flatMap(([digits, codes]) =>
    codes.split(' ').map((code) => [code, Number(digits)] as const),
  ),
);

/** The most decimals any active currency has. */
export const FINEST_MINOR_UNIT = Math.max(...CURRENCY_MINOR_UNITS.values());

export const isCurrency = (code: string): boolean => CURRENCY_MINOR_UNITS.has(code);

/**
 * Decimals of the number as JSON and DynamoDB write it (the shortest round-trip form), counting
 * exponent notation: 1.5e-7 has 8, 1e21 has 0.
 */
export const decimalPlaces = (value: number): number => {
  const [mantissa = '', exponent = '0'] = value.toString().toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
};

export const isAmountInRange = (amount: number): boolean =>
  Number.isFinite(amount) && amount >= 0 && amount <= MAX_AMOUNT;

/** Why an amount does not fit its currency, or undefined when it does (an unknown currency is its own error). */
export const amountProblem = (amount: number, currency: string): string | undefined => {
  if (!isAmountInRange(amount)) return `Give an amount from 0 to ${MAX_AMOUNT.toExponential()}.`;
  const digits = CURRENCY_MINOR_UNITS.get(currency);
  if (digits === undefined) return undefined;
  if (decimalPlaces(amount) > digits)
    return digits === 0
      ? `${currency} amounts are whole numbers.`
      : `${currency} amounts have at most ${digits} decimals.`;
  return undefined;
};
