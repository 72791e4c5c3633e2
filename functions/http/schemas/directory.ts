/** Request and response shapes of the directory routes (docs/api.md "Directories" and solutions). */
import * as z from 'zod';
import type { CustomerSearch } from '#domain/directory/customers.ts';
import { type Customer, SOLUTION_KINDS, type Solution } from '#domain/directory/model.ts';
import { SOLUTION_OWNERS } from '#domain/directory/solutions.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { Country, Id, PageQuery, pageOf, QueryCountry, Timestamp } from './common.ts';

export const Duns = z.string().regex(/^\d{9}$/, 'A D-U-N-S number is exactly 9 digits.');
const Name = z.string().trim().min(1).max(LIMITS.name);

export const CreateCustomerBody = z.strictObject({
  name: Name,
  country: Country,
  address: z.string().trim().min(1).max(LIMITS.address),
  duns: Duns.optional(),
});

/**
 * `?country=DE&q=cont` (q optional: no q lists the country's customers in name order) or
 * `?duns=123456789`; never both, never q without country.
 */
export const FindCustomersQuery = z
  .strictObject({
    country: QueryCountry.optional().meta({ examples: ['DE'] }),
    q: z
      .string()
      .max(LIMITS.name)
      .optional()
      .meta({ examples: ['Tail'] }),
    duns: Duns.optional(),
    ...PageQuery,
  })
  .superRefine((query, ctx) => {
    if (query.duns !== undefined && (query.country !== undefined || query.q !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['duns'], message: 'Search by duns alone, or by country and q.' });
    } else if (query.duns === undefined && query.country === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: query.q === undefined ? 'Give country (with an optional q) or duns.' : 'q needs a country.',
      });
    }
  });

/** The validated query as the domain's search: a D-U-N-S lookup or a country + prefix autosuggest. */
export const customerSearch = (query: z.output<typeof FindCustomersQuery>): CustomerSearch =>
  query.duns !== undefined ? { duns: query.duns } : { country: query.country ?? '', prefix: query.q ?? '' };

/** A correction: at least one field; `duns: null` removes a wrong number. */
export const CorrectCustomerBody = z
  .strictObject({
    name: Name.optional(),
    country: Country.optional(),
    address: z.string().trim().min(1).max(LIMITS.address).optional(),
    duns: Duns.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Give at least one of name, country, address, duns.',
  });

export const CustomerView = z.object({
  id: Id,
  name: z.string(),
  country: Country,
  address: z.string(),
  duns: Duns.nullable(),
  /** Null for entries added before the creating org was recorded. */
  createdByOrgId: Id.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const customerView = (customer: Customer): z.infer<typeof CustomerView> => ({
  id: customer.id,
  name: customer.name,
  country: customer.country,
  address: customer.address,
  duns: customer.duns ?? null,
  createdByOrgId: customer.createdByOrgId ?? null,
  createdAt: customer.createdAt,
  updatedAt: customer.updatedAt,
});

export const CustomerPage = pageOf(CustomerView);

export const CreateSolutionBody = z.strictObject({
  name: Name,
  coSellReady: z.boolean(),
  kind: z.enum(SOLUTION_KINDS).optional(),
  incentiveEligible: z.boolean().optional(),
});

export const UpdateSolutionBody = z
  .strictObject({
    name: Name.optional(),
    coSellReady: z.boolean().optional(),
    incentiveEligible: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Give at least one of name, coSellReady, incentiveEligible.',
  });

export const ListSolutionsQuery = z.strictObject({
  owner: z.enum(SOLUTION_OWNERS).meta({ examples: ['mine'] }),
  ...PageQuery,
});

export const SolutionView = z.object({
  id: Id,
  ownerOrgId: Id,
  kind: z.enum(SOLUTION_KINDS),
  name: z.string(),
  coSellReady: z.boolean(),
  incentiveEligible: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const solutionView = (solution: Solution): z.infer<typeof SolutionView> => ({
  id: solution.id,
  ownerOrgId: solution.ownerOrgId,
  kind: solution.kind,
  name: solution.name,
  coSellReady: solution.coSellReady,
  incentiveEligible: solution.incentiveEligible,
  createdAt: solution.createdAt,
  updatedAt: solution.updatedAt,
});

export const SolutionPage = pageOf(SolutionView);
