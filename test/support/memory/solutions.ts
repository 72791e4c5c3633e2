import type { Solution } from '#domain/model.ts';
import type { PageRequest, SolutionFilter, SolutionStore } from '#domain/ports.ts';
import { pageBySortKey } from './orgs.ts';

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

  async create(solution: Solution) {
    if (this.solutions.has(solution.id)) return 'exists' as const;
    this.solutions.set(solution.id, structuredClone(solution));
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

  async update(solution: Solution, expectedUpdatedAt: string) {
    const current = this.solutions.get(solution.id);
    if (!current) return 'missing' as const;
    if (current.updatedAt !== expectedUpdatedAt) return 'stale' as const;
    this.solutions.set(solution.id, structuredClone(solution));
    return 'written' as const;
  }
}
