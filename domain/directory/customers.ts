/**
 * The customer directory (docs/domain.md §1): shared by the whole installation, searched by every member.
 * An org's admins add entries; the org that added an entry and the host correct it; the host
 * retires a wrong one. A D-U-N-S number names one active customer: a conflict names the holder, so
 * the client can use that entry instead of squatting a copy.
 */

import type { Deps } from '../deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { hasRole, type Role, requireAnyRole } from '../kernel/actor.ts';
import { isCountry } from '../kernel/countries.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { LIMITS } from '../kernel/limits.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import { FieldErrors, isText } from '../kernel/validation.ts';
import type { Customer } from './model.ts';
import type { CustomerWriteOutcome } from './ports.ts';

export const isDuns = (value: string): boolean => /^\d{9}$/.test(value);

/** The roles that maintain directory entries for their org. */
export const DIRECTORY_ADMIN_ROLES: readonly Role[] = ['org-admin', 'referrals-admin'];

/** Who may add, correct or retire customers: the org's directory admins (403 otherwise). */
export const requireDirectoryAdmin = (actor: Actor): void => {
  if (!DIRECTORY_ADMIN_ROLES.some((role) => hasRole(actor, role)))
    throw new ForbiddenError(
      'role-required',
      'Adding and correcting customers needs the org-admin or referrals-admin role.',
    );
};

/** The conflict of a D-U-N-S number held by another customer, naming the holder. */
export const dunsTaken = (duns: string, existingCustomerId: string): ConflictError =>
  new ConflictError(
    'already-exists',
    `Customer ${existingCustomerId} already has D-U-N-S number ${duns}; use that customer.`,
    { details: { existingCustomerId } },
  );

/** Whether the actor may correct the entry: its creating org's admins and the host's admins. */
export const mayCorrectCustomer = (actor: Actor, customer: Customer): boolean =>
  DIRECTORY_ADMIN_ROLES.some((role) => hasRole(actor, role)) &&
  (actor.orgKind === 'host' || customer.createdByOrgId === actor.orgId);

type CustomerFields = { name: string; country: string; address: string; duns?: string | null };

const checkFields = (input: Partial<CustomerFields>): void => {
  const errors = new FieldErrors();
  if (input.name !== undefined)
    errors.check(isText(input.name, LIMITS.name), 'name', 'Give a name of 1-200 characters.');
  if (input.country !== undefined)
    errors.check(isCountry(input.country), 'country', 'Use an ISO 3166-1 alpha-2 country code, e.g. "DE".');
  if (input.address !== undefined)
    errors.check(isText(input.address, LIMITS.address), 'address', 'Give an address of 1-500 characters.');
  if (input.duns !== undefined && input.duns !== null)
    errors.check(isDuns(input.duns), 'duns', 'A D-U-N-S number is exactly 9 digits.');
  errors.throwIfAny();
};

/** Throws what a directory write that did not land means; `duns` is the number the write claimed. */
const settle = (result: CustomerWriteOutcome, duns: string | undefined): void => {
  if (result.outcome === 'duns-taken') throw dunsTaken(duns ?? '', result.holderId ?? 'unknown');
  if (result.outcome === 'stale')
    throw new ConflictError('concurrent-update', 'The customer changed meanwhile; retry.');
};

/** Corrections re-read and re-apply when a concurrent writer won, so an edit without a version lands. */
const MAX_ATTEMPTS = 5;

const withRetries = async <T>(attempt: () => Promise<T>): Promise<T> => {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      const contended = error instanceof ConflictError && error.code === 'concurrent-update';
      if (!contended || round >= MAX_ATTEMPTS) throw error;
    }
  }
};

export type CreateCustomerInput = { name: string; country: string; address: string; duns?: string };

/**
 * createCustomer — input: name, country (ISO alpha-2), address, optional D-U-N-S number (exactly 9
 * digits). Output: the new Customer, recorded as added by the caller's org.
 * Rules: org-admin or referrals-admin (403 `role-required`); the D-U-N-S number is unique among
 * active customers (`dunsTaken`: 409 `already-exists` naming the existing customer; the store
 * claims the number with a guard item in the same transaction).
 */
/** Who may add a customer (`requireDirectoryAdmin`). */
export const authorizeCreateCustomer = requireDirectoryAdmin;

export const createCustomer = async (
  deps: Deps,
  actor: Actor,
  input: CreateCustomerInput,
): Promise<Customer> => {
  requireDirectoryAdmin(actor);
  checkFields(input);
  const at = deps.clock.now().toISOString();
  const customer: Customer = {
    id: deps.ids.next(),
    name: input.name.trim(),
    country: input.country,
    address: input.address.trim(),
    ...(input.duns === undefined ? {} : { duns: input.duns }),
    createdByOrgId: actor.orgId,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  settle(await deps.customers.create(customer), customer.duns);
  return customer;
};

export type CorrectCustomerInput = Partial<CustomerFields> & { id: string };

/**
 * correctCustomer — input: the customer id and at least one of name, country, address, duns
 * (`null` removes the number). Output: the corrected Customer.
 * Rules: the admins (org-admin, referrals-admin) of the org that added it, and the host org's admins
 * (403 `not-creator` for others, 403 `role-required` for non-admins); an unknown or retired id is
 * 404. A new D-U-N-S number is claimed in the same transaction that releases the old one; taken →
 * `dunsTaken` (409 naming the holder). Deals keep the customer as it was when they were created.
 */
export const correctCustomer = async (
  deps: Deps,
  actor: Actor,
  input: CorrectCustomerInput,
): Promise<Customer> => {
  requireDirectoryAdmin(actor);
  const { id, ...changes } = input;
  if (Object.values(changes).every((value) => value === undefined))
    throw ValidationError.field('', 'Give at least one of name, country, address, duns.');
  checkFields(changes);
  return withRetries(async () => {
    const current = await deps.customers.get(id);
    if (!current) throw new NotFoundError('Customer');
    if (!mayCorrectCustomer(actor, current))
      throw new ForbiddenError(
        'not-creator',
        "Only the admins of the org that added this customer, or the host's admins, may correct it.",
      );
    const { duns: _previousDuns, ...rest } = current;
    const duns = changes.duns === undefined ? current.duns : (changes.duns ?? undefined);
    const next: Customer = {
      ...rest,
      ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
      ...(changes.country === undefined ? {} : { country: changes.country }),
      ...(changes.address === undefined ? {} : { address: changes.address.trim() }),
      ...(duns === undefined ? {} : { duns }),
      updatedAt: deps.clock.now().toISOString(),
      version: current.version + 1,
    };
    settle(await deps.customers.update(next, current), next.duns);
    return next;
  });
};

/**
 * retireCustomer — input: the customer id. Output: nothing.
 * Rules: the host org's admins only (403 `host-only`); an unknown or already retired id is 404. The
 * entry leaves the directory (search, D-U-N-S lookup, new deals) and its D-U-N-S number is free for
 * the right entry; deals that already name it keep their copy of it.
 */
export const retireCustomer = async (deps: Deps, actor: Actor, command: { id: string }): Promise<void> => {
  requireDirectoryAdmin(actor);
  if (actor.orgKind !== 'host')
    throw new ForbiddenError('host-only', "Only the host org's admins retire customers.");
  await withRetries(async () => {
    const current = await deps.customers.get(command.id);
    if (!current) throw new NotFoundError('Customer');
    const retirement = { at: deps.clock.now().toISOString(), byOrgId: actor.orgId };
    settle(await deps.customers.retire(current, retirement), undefined);
  });
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
