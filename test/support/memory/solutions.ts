import type { Solution } from '#domain/directory/model.ts';
import type { ReadyCountChange, SolutionFilter, SolutionStore } from '#domain/directory/ports.ts';
import type { PageRequest } from '#domain/kernel/page.ts';
import { type MemoryOrgStore, pageBySortKey } from './orgs.ts';

const matches = (solution: Solution, filter: SolutionFilter): boolean => {
  if ('ownerOrgId' in filter) return solution.ownerOrgId === filter.ownerOrgId;
  if ('kind' in filter) return solution.kind === filter.kind;
  return (
    solution.kind === 'partner' &&
    solution.coSellReady &&
    solution.ownerOrgId !== filter.coSellReadyPartnersExcept
  );
};

/** SolutionStore in memory: lists in id order, optimistic concurrency on `updatedAt`. */
export class MemorySolutionStore implements SolutionStore {
  readonly solutions = new Map<string, Solution>();

  /** `orgs`: where the owner org's ready count moves, as the DynamoDB adapter moves it on the org item. */
  constructor(private readonly orgs?: MemoryOrgStore) {}

  private count(ownerOrgId: string, ready: ReadyCountChange): void {
    const org = this.orgs?.orgs.get(ownerOrgId);
    if (org && ready !== 0) org.coSellReadySolutions = (org.coSellReadySolutions ?? 0) + ready;
  }

  async create(solution: Solution, ready: ReadyCountChange) {
    if (this.solutions.has(solution.id)) return 'exists' as const;
    this.solutions.set(solution.id, structuredClone(solution));
    this.count(solution.ownerOrgId, ready);
    return 'written' as const;
  }

  async get(solutionId: string) {
    const solution = this.solutions.get(solutionId);
    return solution ? structuredClone(solution) : undefined;
  }

  async getMany(solutionIds: readonly string[]) {
    return [...new Set(solutionIds)].flatMap((id) => {
      const solution = this.solutions.get(id);
      return solution ? [structuredClone(solution)] : [];
    });
  }

  async list(filter: SolutionFilter, page: PageRequest) {
    const sorted = [...this.solutions.values()]
      .filter((solution) => matches(solution, filter))
      .map((solution) => [solution.id, solution] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return pageBySortKey(sorted, page);
  }

  async update(solution: Solution, expectedUpdatedAt: string, ready: ReadyCountChange) {
    const current = this.solutions.get(solution.id);
    if (!current) return 'missing' as const;
    if (current.updatedAt !== expectedUpdatedAt) return 'stale' as const;
    this.solutions.set(solution.id, structuredClone(solution));
    this.count(solution.ownerOrgId, ready);
    return 'written' as const;
  }
}
