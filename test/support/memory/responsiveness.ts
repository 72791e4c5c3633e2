import {
  answerIncrement,
  type DayCounters,
  RESPONSE_BUCKETS_HOURS,
} from '#domain/insights/responsiveness.ts';
import type { ResponsivenessStore } from '#domain/ports.ts';
import type { MemoryDealStore } from './deals.ts';

/** Counts the answers the in-memory deal store recorded, exactly as the DynamoDB adapter's counters do. */
export class MemoryResponsivenessStore implements ResponsivenessStore {
  constructor(private readonly deals: MemoryDealStore) {}

  async counters(orgIds: readonly string[], fromDay: string, toDay: string) {
    const result = new Map<string, Map<string, DayCounters>>();
    for (const answer of this.deals.answers) {
      if (!orgIds.includes(answer.orgId)) continue;
      const { day, answered, bucket } = answerIncrement(answer);
      if (day < fromDay || day > toDay) continue;
      const days = result.get(answer.orgId) ?? new Map<string, DayCounters>();
      const counters = days.get(day) ?? {
        total: 0,
        answered: 0,
        buckets: RESPONSE_BUCKETS_HOURS.map(() => 0),
      };
      counters.total += 1;
      if (answered) {
        counters.answered += 1;
        counters.buckets[bucket] = (counters.buckets[bucket] ?? 0) + 1;
      }
      days.set(day, counters);
      result.set(answer.orgId, days);
    }
    return result;
  }
}
