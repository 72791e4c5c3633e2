/**
 * The one place that reads the DynamoDB SDK's failures, for every adapter. It goes by the error's
 * `name` rather than `instanceof`: a second copy of `@aws-sdk/client-dynamodb` (a bundled handler in
 * a process that loaded its own) throws classes the other copy does not know.
 *
 * Items that come back with a failed condition (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`)
 * are in DynamoDB's wire format even through the document client, so they are unmarshalled here.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';

type WireItem = Parameters<typeof unmarshall>[0];
type Reason = { Code?: string; Item?: WireItem };

const named = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

/** A single write's condition failed (PutItem, UpdateItem, DeleteItem). */
export const isConditionFailure = (error: unknown): boolean =>
  named(error, 'ConditionalCheckFailedException');

/** The item a single write's failed condition returned (when it asked for it); else undefined. */
export const conditionFailureItem = (error: unknown): Record<string, unknown> | undefined => {
  const item = isConditionFailure(error) ? (error as { Item?: WireItem }).Item : undefined;
  return item ? unmarshall(item) : undefined;
};

/** The cancellation code of each transaction item, or undefined when the error is no cancellation. */
export const cancellationCodes = (error: unknown): (string | undefined)[] | undefined =>
  named(error, 'TransactionCanceledException')
    ? ((error as { CancellationReasons?: Reason[] }).CancellationReasons ?? []).map((reason) => reason.Code)
    : undefined;

/** Whether the transaction item at `index` failed its condition. */
export const conditionFailed = (codes: (string | undefined)[], index: number): boolean =>
  codes[index] === 'ConditionalCheckFailed';

/** The item a cancelled transaction returned for the item at `index` (when it asked for it). */
export const cancelledItem = (error: unknown, index: number): Record<string, unknown> | undefined => {
  if (!cancellationCodes(error)) return undefined;
  const item = (error as { CancellationReasons?: Reason[] }).CancellationReasons?.[index]?.Item;
  return item ? unmarshall(item) : undefined;
};

/**
 * A write that lost to another writer: a failed condition, or a transaction cancelled because a
 * condition failed or another transaction held one of its items.
 */
export const isLostRace = (error: unknown): boolean =>
  isConditionFailure(error) ||
  (cancellationCodes(error) ?? []).some(
    (code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict',
  );
