/** Ports of the insights context: the per-org answer counters the deal store keeps. */
import type { DayCounters } from './responsiveness.ts';

/** Answer counters per org and day (docs/domain.md §8), kept by the deal store with each answer. */
export interface ResponsivenessStore {
  /** For each org, its counters of every day from `fromDay` to `toDay` (`YYYY-MM-DD`); orgs without any are absent. */
  counters(
    orgIds: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Map<string, Map<string, DayCounters>>>;
}
