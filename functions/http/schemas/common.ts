/**
 * Shapes shared by many routes. Every request and response shape of the API is a zod schema; the
 * OpenAPI document is generated from them.
 */
import * as z from 'zod';
import { isCountry } from '#domain/kernel/countries.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import {
  amountProblem,
  CURRENCY_MINOR_UNITS,
  FINEST_MINOR_UNIT,
  isAmountInRange,
  MAX_AMOUNT,
} from '#domain/kernel/money.ts';

export const Id = z.string().min(1).max(64);
export const Country = z
  .string()
  .regex(/^[A-Z]{2}$/, {
    error: 'Use an ISO 3166-1 alpha-2 country code in upper case, e.g. "DE".',
    abort: true,
  })
  .refine(isCountry, 'No country has this ISO 3166-1 alpha-2 code.');
/** A country in a query string: either case, e.g. `?country=de` finds what `?country=DE` finds. */
export const QueryCountry = z
  .string()
  .regex(/^[A-Za-z]{2}$/, { error: 'Use an ISO 3166-1 alpha-2 country code, e.g. "DE".', abort: true })
  .toUpperCase()
  .refine(isCountry, 'No country has this ISO 3166-1 alpha-2 code.');
export const Currency = z.enum([...CURRENCY_MINOR_UNITS.keys()] as [string, ...string[]], {
  error: 'Use an active ISO 4217 currency code, e.g. "EUR".',
});
export const IsoDate = z.iso.date();
export const Timestamp = z.iso.datetime();
export const Email = z.email().max(LIMITS.email);
export const Phone = z
  .string()
  .min(3)
  .max(LIMITS.phone)
  .regex(/^[+0-9 ()./-]+$/, 'Use digits, spaces and + ( ) . / - only.');
export const PersonName = z.string().trim().min(1).max(LIMITS.personName);
export const Notes = z.string().max(LIMITS.notes);
export const ExternalId = z.string().trim().min(1).max(LIMITS.externalId);

/**
 * The currency's own minor unit is the domain's rule (domain/kernel/money.ts), checked exactly on the
 * decimal digits. The document declares the finest minor unit of any currency as `multipleOf`, so
 * clients and the fuzzer see that amounts have a precision; zod's own `multipleOf` is not used, as
 * its float tolerance lets 5e-324 through.
 */
export const Money = z
  .strictObject({
    amount: z
      .number()
      .min(0)
      .max(MAX_AMOUNT)
      .meta({
        multipleOf: 10 ** -FINEST_MINOR_UNIT,
        description:
          "0 to 10^13, with at most the currency's ISO 4217 minor unit of decimals (EUR 2, JPY 0, BHD 3).",
      }),
    currency: Currency,
  })
  .superRefine((money, ctx) => {
    if (!isAmountInRange(money.amount)) return;
    const problem = amountProblem(money.amount, money.currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  });

export const Person = z.strictObject({ name: PersonName, email: Email, phone: Phone });

export const CustomerContact = z.strictObject({ name: PersonName, phone: Phone, email: Email });

/** `?limit=1..100` (default 25) and an opaque `?cursor=`. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const IdParams = z.strictObject({ id: Id });
