import type { AnswerCount } from '#domain/deals/rules/plan.ts';
import type { ResponsivenessStore } from '#domain/insights/ports.ts';
import type { DayCounters } from '#domain/insights/responsiveness.ts';
import { batchGet } from './items.ts';
import { ENTITY, responsivenessKeys } from './keys.ts';
import { epochSeconds, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A month's counters outlive the 90-day window by a margin, then DynamoDB TTL removes them. */
const KEEP_DAYS_AFTER_MONTH = 120;

const monthsFrom = (fromDay: string, toDay: string): string[] => {
  const months: string[] = [];
  const cursor = new Date(`${fromDay.slice(0, 7)}-01T00:00:00.000Z`);
  while (cursor.toISOString().slice(0, 7) <= toDay.slice(0, 7)) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
};

/**
 * The Update that counts one answer, for the answer's own transaction: atomic ADDs on the invitee
 * org's month item, so concurrent answers of one org never lose a count.
 */
export const countAnswer = (tableName: string, { orgId, day, answered, bucket }: AnswerCount) => {
  const month = day.slice(0, 7);
  const dd = day.slice(8, 10);
  const monthEnd = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
  return {
    Update: {
      TableName: tableName,
      Key: responsivenessKeys.month(orgId, month),
      UpdateExpression: `SET #type = :type, #ttl = :ttl ADD #version :one, #total :one${answered ? ', #answered :one, #bucket :one' : ''}`,
      ExpressionAttributeNames: {
        '#type': 'type',
        '#ttl': TTL_ATTRIBUTE,
        '#version': 'version',
        '#total': responsivenessKeys.total(dd),
        ...(answered
          ? { '#answered': responsivenessKeys.answered(dd), '#bucket': responsivenessKeys.bucket(dd, bucket) }
          : {}),
      },
      ExpressionAttributeValues: {
        ':type': ENTITY.responsiveness,
        ':ttl': epochSeconds(monthEnd + KEEP_DAYS_AFTER_MONTH * DAY_MS),
        ':one': 1,
      },
    },
  };
};

/** The day's answers per bucket, from whichever bucket counters the item holds (absent ones are 0). */
const bucketsOf = (item: Record<string, unknown>, dd: string): number[] => {
  const buckets: number[] = [];
  for (const [name, value] of Object.entries(item)) {
    const bucket = responsivenessKeys.bucketOf(name, dd);
    if (bucket !== undefined) buckets[bucket] = Number(value);
  }
  return Array.from(buckets, (count) => count ?? 0);
};

export class DynamoResponsivenessStore implements ResponsivenessStore {
  constructor(private readonly table: TableRef) {}

  async counters(orgIds: readonly string[], fromDay: string, toDay: string) {
    const months = monthsFrom(fromDay, toDay);
    const keys = orgIds.flatMap((orgId) => months.map((month) => ({ orgId, month })));
    const result = new Map<string, Map<string, DayCounters>>();
    const items = await batchGet(
      this.table,
      keys.map(({ orgId, month }) => responsivenessKeys.month(orgId, month)),
    );
    items.forEach((item, j) => {
      const { orgId, month } = keys[j] as { orgId: string; month: string };
      if (!item) return;
      const days = result.get(orgId) ?? new Map<string, DayCounters>();
      for (let d = 1; d <= 31; d++) {
        const dd = String(d).padStart(2, '0');
        const total = Number(item[responsivenessKeys.total(dd)] ?? 0);
        const day = `${month}-${dd}`;
        if (total === 0 || day < fromDay || day > toDay) continue;
        days.set(day, {
          total,
          answered: Number(item[responsivenessKeys.answered(dd)] ?? 0),
          buckets: bucketsOf(item, dd),
        });
      }
      result.set(orgId, days);
    });
    return result;
  }
}
