/** An amount typed as text until sent, so a half-typed amount stays as typed; and its currency. */
import type { Schemas } from '@co-sell/client';

export type Money = Schemas['Money'];
export type Currency = Money['currency'];
export type MoneyDraft = { amount: string; currency: Currency };

export const moneyDraftOf = (money: Money): MoneyDraft => ({
  amount: String(money.amount),
  currency: money.currency,
});

export const moneyOf = (draft: MoneyDraft): Money => ({
  amount: Number(draft.amount),
  currency: draft.currency,
});
