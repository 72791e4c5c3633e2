import { ConflictError } from '#domain/errors.ts';
import type { Customer } from '#domain/model.ts';
import type { CustomerStore, PageRequest } from '#domain/ports.ts';
import { pageBySortKey } from './orgs.ts';

/** CustomerStore in memory: unique D-U-N-S numbers, name-prefix search per country in name order. */
export class MemoryCustomerStore implements CustomerStore {
  readonly customers = new Map<string, Customer>();

  async create(customer: Customer) {
    if (this.customers.has(customer.id))
      throw new ConflictError('already-exists', `Customer ${customer.id} exists.`);
    if (customer.duns && [...this.customers.values()].some((other) => other.duns === customer.duns)) {
      throw new ConflictError(
        'already-exists',
        `A customer with D-U-N-S number ${customer.duns} already exists.`,
      );
    }
    this.customers.set(customer.id, structuredClone(customer));
  }

  async get(customerId: string) {
    const customer = this.customers.get(customerId);
    return customer ? structuredClone(customer) : undefined;
  }

  async searchByName(country: string, prefix: string, page: PageRequest) {
    const wanted = prefix.trim().toLowerCase();
    const sorted = [...this.customers.values()]
      .filter(
        (customer) => customer.country === country && customer.name.trim().toLowerCase().startsWith(wanted),
      )
      .map((customer) => [`${customer.name.trim().toLowerCase()}#${customer.id}`, customer] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return pageBySortKey(sorted, page);
  }

  async getByDuns(duns: string) {
    const customer = [...this.customers.values()].find((candidate) => candidate.duns === duns);
    return customer ? structuredClone(customer) : undefined;
  }
}
