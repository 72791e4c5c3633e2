/**
 * Answer signal tallies on the single table (docs/data-model.md): one item per feature value and
 * invitee org (keys.ts `signalKeys`), written by `countSignal` in the answer's own transaction and
 * read one partition per feature value.
 */
import type { SignalStore } from '#domain/insights/ports.ts';
import {
  type AnswerSignal,
  SIGNAL_FEATURE_NAMES,
  SIGNAL_OUTCOMES,
  type SignalFeature,
  type SignalFeatureName,
  type SignalOutcome,
  type SignalTally,
} from '#domain/insights/signals.ts';
import { type Item, queryPartition } from './items.ts';
import { ENTITY, signalKeys } from './keys.ts';
import type { TableRef } from './table-ref.ts';

/**
 * The Updates that add one answer to the invitee org's tally of each feature of the answered deal:
 * atomic ADDs, so concurrent answers never lose a count, and nothing but the org, the feature and
 * the counts is stored.
 */
export const countSignal = (tableName: string, signal: AnswerSignal) =>
  signal.features.map((feature) => ({
    Update: {
      TableName: tableName,
      Key: signalKeys.item(feature.name, feature.value, signal.orgId),
      UpdateExpression:
        'SET #type = :type, orgId = :orgId, feature = :feature, featureValue = :value, lastAnsweredAt = :at ADD #version :one, #count :one, #weight :weight',
      ExpressionAttributeNames: {
        '#type': 'type',
        '#version': 'version',
        '#count': signalKeys.count(signal.outcome),
        '#weight': signalKeys.weight(signal.outcome, signal.era),
      },
      ExpressionAttributeValues: {
        ':type': ENTITY.signal,
        ':orgId': signal.orgId,
        ':feature': feature.name,
        ':value': feature.value,
        ':at': signal.answeredAt,
        ':one': 1,
        ':weight': signal.weight,
      },
    },
  }));

const WEIGHT = /^w_(.+)_(\d{4})$/;

export const toTally = (item: Item): SignalTally => {
  const counts: Partial<Record<SignalOutcome, number>> = {};
  const weights: Partial<Record<SignalOutcome, Record<string, number>>> = {};
  for (const outcome of SIGNAL_OUTCOMES) {
    const count = item[signalKeys.count(outcome)];
    if (count !== undefined) counts[outcome] = Number(count);
  }
  for (const [name, value] of Object.entries(item)) {
    const match = WEIGHT.exec(name);
    const outcome = SIGNAL_OUTCOMES.find((known) => known === match?.[1]);
    if (!match || !outcome) continue;
    weights[outcome] = { ...(weights[outcome] ?? {}), [match[2] as string]: Number(value) };
  }
  const name = SIGNAL_FEATURE_NAMES.find((known) => known === item.feature) as SignalFeatureName;
  return {
    orgId: item.orgId as string,
    feature: { name, value: item.featureValue as string },
    counts,
    weights,
    lastAnsweredAt: item.lastAnsweredAt as string,
  };
};

/** Items a Query page asks for: a partition holds one item per org, so a few pages read any ecosystem. */
const PAGE = 1000;

export class DynamoSignalStore implements SignalStore {
  constructor(private readonly table: TableRef) {}

  private async partition(feature: SignalFeature): Promise<SignalTally[]> {
    const tallies: SignalTally[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await queryPartition(this.table, signalKeys.partition(feature.name, feature.value), {
        limit: PAGE,
        ...(after ? { after } : {}),
      });
      tallies.push(...page.items.map(toTally));
      after = page.next;
    } while (after);
    return tallies;
  }

  async tallies(features: readonly SignalFeature[]): Promise<SignalTally[]> {
    return (await Promise.all(features.map((feature) => this.partition(feature)))).flat();
  }
}

/**
 * The item a tally is stored as: what `countSignal`'s ADDs build up from nothing, one answer at a
 * time. For seeding a table with tallies made elsewhere (the benchmark).
 */
export const tallyItem = (tally: SignalTally): Item => ({
  ...signalKeys.item(tally.feature.name, tally.feature.value, tally.orgId),
  type: ENTITY.signal,
  orgId: tally.orgId,
  feature: tally.feature.name,
  featureValue: tally.feature.value,
  lastAnsweredAt: tally.lastAnsweredAt,
  version: SIGNAL_OUTCOMES.reduce((sum, outcome) => sum + (tally.counts[outcome] ?? 0), 0),
  ...Object.fromEntries(
    SIGNAL_OUTCOMES.flatMap((outcome) => [
      ...(tally.counts[outcome] !== undefined ? [[signalKeys.count(outcome), tally.counts[outcome]]] : []),
      ...Object.entries(tally.weights[outcome] ?? {}).map(([era, weight]) => [
        signalKeys.weight(outcome, era),
        weight,
      ]),
    ]),
  ),
});
