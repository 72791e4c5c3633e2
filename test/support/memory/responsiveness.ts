import type { ResponsivenessStore } from '#domain/insights/ports.ts';
import type { DayCounters } from '#domain/insights/responsiveness.ts';
import type { MemoryDealStore } from './deals.ts';

/** Sums the counts the deal store's plans recorded, per org and day, as the DynamoDB month items do. */
export class MemoryResponsivenessStore implements ResponsivenessStore {
  constructor(private readonly deals: MemoryDealStore) {}

  async counters(orgIds: readonly string[], fromDay: string, toDay: string) {
    const result = new Map<string, Map<string, DayCounters>>();
    for (const { orgId, day, answered, bucket } of this.deals.answerCounts) {
      if (!orgIds.includes(orgId)) continue;
      if (day < fromDay || day > toDay) continue;
      const days = result.get(orgId) ?? new Map<string, DayCounters>();
      const counters = days.get(day) ?? { total: 0, answered: 0, buckets: [] };
      counters.total += 1;
      if (answered) {
        counters.answered += 1;
        while (counters.buckets.length < bucket) counters.buckets.push(0);
        counters.buckets[bucket] = (counters.buckets[bucket] ?? 0) + 1;
      }
      days.set(day, counters);
      result.set(orgId, days);
    }
    return result;
  }
}
