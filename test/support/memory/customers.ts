import type { Customer } from '#domain/directory/model.ts';
import type { CustomerStore, CustomerWriteOutcome } from '#domain/directory/ports.ts';
import type { PageRequest } from '#domain/kernel/page.ts';
import { pageBySortKey } from './orgs.ts';

type Retirement = { at: string; byOrgId: string };

/**
 * CustomerStore in memory: D-U-N-S numbers unique among active customers, name-prefix search per
 * country in name order, optimistic concurrency on `version`; retired entries are kept apart and
 * invisible to reads, as the port says.
 */
export class MemoryCustomerStore implements CustomerStore {
  readonly customers = new Map<string, Customer>();
  readonly retired = new Map<string, Customer & { retirement: Retirement }>();

  private holder(duns: string | undefined, except: string): Customer | undefined {
    if (duns === undefined) return undefined;
    return [...this.customers.values()].find((other) => other.duns === duns && other.id !== except);
  }

  async create(customer: Customer): Promise<CustomerWriteOutcome> {
    if (this.customers.has(customer.id) || this.retired.has(customer.id)) return { outcome: 'stale' };
    const holder = this.holder(customer.duns, customer.id);
    if (holder) return { outcome: 'duns-taken', holderId: holder.id };
    this.customers.set(customer.id, structuredClone(customer));
    return { outcome: 'written' };
  }

  async update(next: Customer, previous: Customer): Promise<CustomerWriteOutcome> {
    if (this.customers.get(previous.id)?.version !== previous.version) return { outcome: 'stale' };
    const holder = this.holder(next.duns, next.id);
    if (holder) return { outcome: 'duns-taken', holderId: holder.id };
    this.customers.set(next.id, structuredClone(next));
    return { outcome: 'written' };
  }

  async retire(customer: Customer, retirement: Retirement) {
    const current = this.customers.get(customer.id);
    if (current?.version !== customer.version) return { outcome: 'stale' } as const;
    this.customers.delete(customer.id);
    this.retired.set(customer.id, { ...structuredClone(current), version: current.version + 1, retirement });
    return { outcome: 'written' } as const;
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
