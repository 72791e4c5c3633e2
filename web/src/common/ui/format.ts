/** How the console writes money, dates and the API's kebab-case values for people. */
import type { Schemas } from '@co-sell/client';

export const formatMoney = (money: Schemas['Money']): string =>
  new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(money.amount);

export const formatDate = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));

export const formatTime = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** `not-a-fit` → `Not a fit`. */
export const humanize = (value: string): string => {
  const words = value.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
