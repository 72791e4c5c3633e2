/**
 * The customer directory (design §1, api.md "Directories"): any member may add and search customers;
 * the directory is shared by the whole installation.
 */
import type { Actor } from '../actor.ts';
import { requireAnyRole } from '../actor.ts';
import { FieldErrors, isText } from '../identity/validation.ts';
import { type Customer, LIMITS } from '../model.ts';
import type { Deps, Page, PageRequest } from '../ports.ts';
import { isCountry } from './countries.ts';

export const isDuns = (value: string): boolean => /^\d{9}$/.test(value);

export type CreateCustomerInput = { name: string; country: string; address: string; duns?: string };

/**
 * createCustomer — input: name, country (ISO alpha-2), address, optional D-U-N-S number (exactly 9
 * digits). Output: the new Customer.
 * Rules: any member; the D-U-N-S number is unique across the directory (ConflictError('already-exists'),
 * enforced by the store with a guard item in the same transaction).
 */
export const createCustomer = async (
  deps: Deps,
  actor: Actor,
  input: CreateCustomerInput,
): Promise<Customer> => {
  requireAnyRole(actor);
  const errors = new FieldErrors();
  errors.check(isText(input.name, LIMITS.name), 'name', 'Give a name of 1-200 characters.');
  errors.check(isCountry(input.country), 'country', 'Use an ISO 3166-1 alpha-2 country code, e.g. "DE".');
  errors.check(isText(input.address, LIMITS.address), 'address', 'Give an address of 1-500 characters.');
  if (input.duns !== undefined)
    errors.check(isDuns(input.duns), 'duns', 'A D-U-N-S number is exactly 9 digits.');
  errors.throwIfAny();

  const customer: Customer = {
    id: deps.ids.next(),
    name: input.name.trim(),
    country: input.country,
    address: input.address.trim(),
    ...(input.duns === undefined ? {} : { duns: input.duns }),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.customers.create(customer);
  return customer;
};

/** Either an autosuggest (country + case-insensitive name prefix, possibly empty) or an exact D-U-N-S lookup. */
export type CustomerSearch = { country: string; prefix: string } | { duns: string };

/**
 * findCustomers — input: a search and a page. Output: a page of customers (name order for the
 * autosuggest; at most one customer and no next page for a D-U-N-S lookup).
 * Rules: any member.
 */
export const findCustomers = async (
  deps: Deps,
  actor: Actor,
  input: { search: CustomerSearch; page: PageRequest },
): Promise<Page<Customer>> => {
  requireAnyRole(actor);
  const { search, page } = input;
  if ('duns' in search) {
    const errors = new FieldErrors();
    errors.check(isDuns(search.duns), 'query.duns', 'A D-U-N-S number is exactly 9 digits.');
    errors.throwIfAny();
    const customer = await deps.customers.getByDuns(search.duns);
    return { items: customer ? [customer] : [] };
  }
  const errors = new FieldErrors();
  errors.check(
    isCountry(search.country),
    'query.country',
    'Use an ISO 3166-1 alpha-2 country code, e.g. "DE".',
  );
  errors.throwIfAny();
  return deps.customers.searchByName(search.country, search.prefix.trim(), page);
};
