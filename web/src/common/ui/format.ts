/**
 * How the console writes money, percentages, dates and the API's kebab-case values for people.
 * Money and percentages follow the browser's locale (`navigator.languages`, which `Intl` takes when
 * given no locale): a German reader sees `1.234,50 €` and `60 %`, an American `€1,234.50` and `60%`.
 * The optional `locale` is for tests, which must not depend on the machine's.
 */
import type { Schemas } from '@co-sell/client';

type Locale = string | undefined;

/** Formats are costly to build and a page writes many values: one per locale and style. */
const cache = new Map<string, Intl.NumberFormat>();
const numberFormat = (locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat => {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
};

export const formatMoney = (money: Schemas['Money'], locale?: Locale): string =>
  numberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount);

/** A percentage the API gives as a whole number from 0 to 100 (a stage's probability). */
export const formatPercent = (percent: number, locale?: Locale): string =>
  numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);

/** A share the API gives as a fraction from 0 to 1 (a win rate). */
export const formatShare = (share: number, locale?: Locale): string =>
  numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);

/** A count, with the locale's grouping (`2,000` or `2.000`). */
export const formatCount = (count: number, locale?: Locale): string =>
  numberFormat(locale, { maximumFractionDigits: 0 }).format(count);

export const formatDate = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));

export const formatTime = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** `not-a-fit` → `Not a fit`. */
export const humanize = (value: string): string => {
  const words = value.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
