/** Ports of the insights context: the per-org answer counters and signal tallies the deal store keeps. */
import type { DayCounters } from './responsiveness.ts';
import type { SignalFeature, SignalTally } from './signals.ts';

/** Answer counters per org and day (docs/domain.md §8), kept by the deal store with each answer. */
export interface ResponsivenessStore {
  /** For each org, its counters of every day from `fromDay` to `toDay` (`YYYY-MM-DD`); orgs without any are absent. */
  counters(
    orgIds: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Map<string, Map<string, DayCounters>>>;
}

/**
 * Answer signal tallies (signals.ts), kept by the deal store in each answer's transaction: one
 * record per feature value and org.
 */
export interface SignalStore {
  /**
   * Every org's tally of each feature value (one indexed read per feature value, bounded by the
   * number of orgs that ever answered such a deal, never by how many answers they gave).
   */
  tallies(features: readonly SignalFeature[]): Promise<SignalTally[]>;
}
