import type { SignalStore } from '#domain/insights/ports.ts';
import { addToTally, featureKey, type SignalFeature, type SignalTally } from '#domain/insights/signals.ts';
import type { MemoryDealStore } from './deals.ts';

/** Folds the signals the deal store's plans recorded into tallies per feature value and org, as the table's ADDs do. */
export class MemorySignalStore implements SignalStore {
  /** How many reads `tallies` made: one per feature value, as the table's Queries. */
  reads = 0;

  constructor(private readonly deals: MemoryDealStore) {}

  async tallies(features: readonly SignalFeature[]): Promise<SignalTally[]> {
    this.reads += features.length;
    const wanted = new Set(features.map(featureKey));
    const tallies = new Map<string, SignalTally>();
    for (const signal of this.deals.answerSignals) {
      for (const feature of signal.features) {
        const key = featureKey(feature);
        if (!wanted.has(key)) continue;
        const id = `${key}/${signal.orgId}`;
        tallies.set(id, addToTally(tallies.get(id), signal, feature));
      }
    }
    return [...tallies.values()];
  }
}
