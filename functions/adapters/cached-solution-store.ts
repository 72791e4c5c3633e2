import type { Solution } from '#domain/directory/model.ts';
import type { ReadyCountChange, SolutionFilter, SolutionStore } from '#domain/directory/ports.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';

/**
 * Solutions change rarely and every deal read needs their incentive flags (registration eligibility),
 * so a warm function keeps each solution it read for a short while. A change is visible everywhere
 * after at most `ttlMs`; writes go straight through and refresh this process's copy.
 */
export class CachedSolutionStore implements SolutionStore {
  private readonly cache = new Map<string, { solution: Solution | undefined; until: number }>();

  constructor(
    private readonly inner: SolutionStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private remember(id: string, solution: Solution | undefined): void {
    this.cache.set(id, { solution, until: this.now() + this.ttlMs });
  }

  async getMany(solutionIds: readonly string[]): Promise<Solution[]> {
    const now = this.now();
    const missing = solutionIds.filter((id) => (this.cache.get(id)?.until ?? 0) <= now);
    if (missing.length > 0) {
      const found = new Map((await this.inner.getMany(missing)).map((solution) => [solution.id, solution]));
      for (const id of missing) this.remember(id, found.get(id));
    }
    return solutionIds.flatMap((id) => {
      const solution = this.cache.get(id)?.solution;
      return solution ? [solution] : [];
    });
  }

  /** Fresh: the catalog's own routes edit what they read, with optimistic concurrency. */
  get(solutionId: string): Promise<Solution | undefined> {
    return this.inner.get(solutionId);
  }

  async create(solution: Solution, ready: ReadyCountChange): Promise<'written' | 'exists'> {
    const outcome = await this.inner.create(solution, ready);
    if (outcome === 'written') this.remember(solution.id, solution);
    return outcome;
  }

  async update(
    solution: Solution,
    expectedUpdatedAt: string,
    ready: ReadyCountChange,
  ): Promise<'written' | 'stale' | 'missing'> {
    const outcome = await this.inner.update(solution, expectedUpdatedAt, ready);
    if (outcome === 'written') this.remember(solution.id, solution);
    return outcome;
  }

  list(filter: SolutionFilter, page: PageRequest): Promise<Page<Solution>> {
    return this.inner.list(filter, page);
  }
}
