/** Ports of the directory context: the customer directory and the solution catalog. */

import type { Page, PageRequest } from '../kernel/page.ts';
import type { Customer, Solution, SolutionKind } from './model.ts';

/**
 * What a directory write did: `written`; `duns-taken` when the D-U-N-S number it claims is held by
 * another customer (`holderId`, when the store could tell); `stale` when the customer is no longer
 * the version that was read (retired, changed, or for a create, its id is taken).
 */
export type CustomerWriteOutcome =
  | { outcome: 'written' }
  | { outcome: 'duns-taken'; holderId?: string }
  | { outcome: 'stale' };

/**
 * The customer directory. Reads see active entries only: a retired customer is gone from the
 * directory (search, D-U-N-S lookup, and by id), so no new deal can name it.
 */
export interface CustomerStore {
  /** Adds the customer and claims its D-U-N-S number in one transaction. */
  create(customer: Customer): Promise<CustomerWriteOutcome>;
  get(customerId: string): Promise<Customer | undefined>;
  searchByName(country: string, prefix: string, page: PageRequest): Promise<Page<Customer>>;
  getByDuns(duns: string): Promise<Customer | undefined>;
  /**
   * Replaces `previous` with `next` in one transaction with the D-U-N-S guards: the old number is
   * released and the new one claimed.
   */
  update(next: Customer, previous: Customer): Promise<CustomerWriteOutcome>;
  /**
   * Retires `customer` (as read, conditioned on its version) and releases its D-U-N-S number in one
   * transaction; the entry is kept with who retired it and when.
   */
  retire(
    customer: Customer,
    retirement: { at: string; byOrgId: string },
  ): Promise<Exclude<CustomerWriteOutcome, { outcome: 'duns-taken' }>>;
}

/**
 * Which catalog slice to list: one org's own solutions (every kind), the host's or assessment types
 * (by kind), or the co-sell-ready solutions of every partner org except one (the caller's).
 */
export type SolutionFilter =
  | { ownerOrgId: string }
  | { kind: Exclude<SolutionKind, 'partner'> }
  | { coSellReadyPartnersExcept: string };

/**
 * How a solution write moves its owner org's count of co-sell-ready partner solutions (the domain
 * works it out: `ecosystemChange` in directory/solutions.ts); the store applies it in the same
 * transaction as the solution.
 */
export type ReadyCountChange = -1 | 0 | 1;

export interface SolutionStore {
  /** `exists` when the id is taken. */
  create(solution: Solution, ready: ReadyCountChange): Promise<'written' | 'exists'>;
  get(solutionId: string): Promise<Solution | undefined>;
  getMany(solutionIds: readonly string[]): Promise<Solution[]>;
  list(filter: SolutionFilter, page: PageRequest): Promise<Page<Solution>>;
  /**
   * Replaces the solution if its `updatedAt` is still `expectedUpdatedAt`: `stale` when it is not,
   * `missing` when there is no such solution.
   */
  update(
    solution: Solution,
    expectedUpdatedAt: string,
    ready: ReadyCountChange,
  ): Promise<'written' | 'stale' | 'missing'>;
}
