/** An amount typed as text until sent, so a half-typed amount stays as typed; and its currency. */
import type { Schemas } from '@co-sell/client';

export type Money = Schemas['Money'];
export type Currency = Money['currency'];
export type MoneyDraft = { amount: string; currency: Currency };

export const moneyDraftOf = (money: Money): MoneyDraft => ({
  amount: String(money.amount),
  currency: money.currency,
});

/**
 * The money a draft says, or nothing when no amount was typed (an empty amount is never 0). An
 * amount that is not a number is sent as typed, so the API's check names it.
 */
export const moneyOf = (draft: MoneyDraft): Money | undefined => {
  const typed = draft.amount.trim();
  if (typed === '') return undefined;
  const amount = Number(typed);
  return { amount: Number.isNaN(amount) ? (typed as unknown as number) : amount, currency: draft.currency };
};
