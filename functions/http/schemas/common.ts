/**
 * Shapes shared by many routes. Every request and response shape of the API is a zod schema; the
 * OpenAPI document is generated from them.
 */
import * as z from 'zod';
import { isCountry } from '#domain/directory/countries.ts';
import { LIMITS } from '#domain/model.ts';

export const Id = z.string().min(1).max(64);
export const Country = z
  .string()
  .regex(/^[A-Z]{2}$/, {
    error: 'Use an ISO 3166-1 alpha-2 country code in upper case, e.g. "DE".',
    abort: true,
  })
  .refine(isCountry, 'No country has this ISO 3166-1 alpha-2 code.');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'Use an ISO 4217 currency code, e.g. "EUR".');
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

export const Money = z.strictObject({
  amount: z.number().nonnegative().max(1e15).finite(),
  currency: Currency,
});

export const Person = z.strictObject({ name: PersonName, email: Email, phone: Phone });

/** `?limit=1..100` (default 25) and an opaque `?cursor=`. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const IdParams = z.strictObject({ id: Id });
