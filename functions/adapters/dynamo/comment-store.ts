/**
 * The CommentStore port on the table: comments in their engagement's partition (keys.ts), written
 * with their outbox events in one transaction; the comment digest marks beside each recipient deal's
 * history, on gsi4 while they owe a digest. Which comments a reader gets is the domain's
 * `CommentQuery` (domain/deals/rules/comments.ts); this only turns its matches into a filter.
 */
import {
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Comment } from '#domain/deals/model.ts';
import type { CommentQuery, CommentStore, DigestMark } from '#domain/deals/ports.ts';
import { type CommentMatch, matchesComment } from '#domain/deals/rules/comments.ts';
import type { DomainEvent } from '#domain/kernel/events.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import { isConditionFailure, isLostRace } from './errors.ts';
import {
  fromItem,
  getItem,
  nextKey,
  notExists,
  partitionPrefix,
  queryDueShards,
  queryPage,
} from './items.ts';
import { commentKeys, ENTITY } from './keys.ts';
import { outboxItem } from './outbox.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

const COMMENT_NAMES = {
  '#visibility': 'visibility',
  '#author': 'author',
  '#orgId': 'orgId',
};

/**
 * The query's matches as a FilterExpression, word for word: one parenthesised conjunction per
 * match, joined by OR (a match with no field matches every comment: no filter at all).
 */
export const commentFilter = (
  anyOf: readonly CommentMatch[],
): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> => {
  const values: Record<string, string> = {};
  const clauses = anyOf.map((match, i) => {
    const terms: string[] = [];
    if (match.visibility !== undefined) {
      values[`:visibility${i}`] = match.visibility;
      terms.push(`#visibility = :visibility${i}`);
    }
    if (match.authorOrgId !== undefined) {
      values[`:author${i}`] = match.authorOrgId;
      terms.push(`#author.#orgId = :author${i}`);
    }
    return terms;
  });
  // No match matches nothing (every comment has a visibility); an empty match matches everything.
  if (clauses.length === 0) {
    return { FilterExpression: 'attribute_not_exists(#visibility)', ExpressionAttributeNames: COMMENT_NAMES };
  }
  if (clauses.some((terms) => terms.length === 0)) return {};
  return {
    FilterExpression: clauses.map((terms) => `(${terms.join(' AND ')})`).join(' OR '),
    ExpressionAttributeNames: COMMENT_NAMES,
    ExpressionAttributeValues: values,
  };
};

/** How many comments one Query reads while looking for the engagement comments of a digest. */
const SINCE_PAGE = 100;

export class DynamoCommentStore implements CommentStore {
  constructor(private readonly table: TableRef) {}

  async add(comment: Comment, events: readonly DomainEvent[]): Promise<void> {
    const items = [
      { ...commentKeys.item(comment.engagementId, comment.id), type: ENTITY.comment, version: 1, ...comment },
      ...events.map((event) => outboxItem(event)),
    ];
    await this.table.db.send(
      new TransactWriteCommand({
        TransactItems: items.map((item) => ({
          Put: { TableName: this.table.tableName, Item: item, ...notExists },
        })),
      }),
    );
  }

  async list(query: CommentQuery, page: PageRequest): Promise<Page<Comment>> {
    const partition = commentKeys.engagementPartition(query.engagementId);
    const filter = commentFilter(query.anyOf);
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ...filter,
        ExpressionAttributeNames: {
          '#pk': TABLE_KEYS.partitionKey,
          '#sk': TABLE_KEYS.sortKey,
          ...filter.ExpressionAttributeNames,
        },
        ExpressionAttributeValues: {
          ':pk': partition.pk,
          ':prefix': partition.skPrefix,
          ...filter.ExpressionAttributeValues,
        },
        ScanIndexForward: false,
        ...queryPage(page),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => fromItem<Comment>(item)),
      ...nextKey(result.LastEvaluatedKey),
    };
  }

  async commentsSince(
    query: CommentQuery,
    afterCreatedAt: string | undefined,
    limit: number,
  ): Promise<Comment[]> {
    const partition = commentKeys.engagementPartition(query.engagementId);
    const found: Comment[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          ...partitionPrefix(partition),
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: SINCE_PAGE,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      const comments = (result.Items ?? []).map((item) => fromItem<Comment>(item));
      for (const comment of comments) {
        // Newest first: the first comment at or before the cut-off ends the search.
        if (afterCreatedAt !== undefined && comment.createdAt <= afterCreatedAt) return found;
        if (matchesComment(comment, query.anyOf)) found.push(comment);
        if (found.length >= limit) return found;
      }
      after = result.LastEvaluatedKey;
    } while (after);
    return found;
  }

  async digestMark(dealId: string): Promise<DigestMark | undefined> {
    const item = await getItem(this.table, commentKeys.digest(dealId));
    return item && digestMarkOf(item);
  }

  async putDigestMark(
    mark: DigestMark,
    readEventId: string | undefined,
    events: readonly DomainEvent[] = [],
  ): Promise<'written' | 'stale'> {
    // A whole-item Put: an owed digest and its gsi4 entry go with the mark it replaces.
    const put = {
      TableName: this.table.tableName,
      Item: { ...commentKeys.digest(mark.dealId), type: ENTITY.commentDigest, version: 1, ...mark },
      ...(readEventId === undefined
        ? notExists
        : {
            ConditionExpression: 'eventId = :read',
            ExpressionAttributeValues: { ':read': readEventId },
          }),
    };
    try {
      if (events.length === 0) await this.table.db.send(new PutCommand(put));
      else
        await this.table.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              ...events.map((event) => ({
                Put: { TableName: this.table.tableName, Item: outboxItem(event), ...notExists },
              })),
            ],
          }),
        );
      return 'written';
    } catch (error) {
      // With events: lost to another digest's claim (or a concurrent transaction on the mark).
      if (isLostRace(error)) return 'stale';
      throw error;
    }
  }

  async markDigestOwed(
    dealId: string,
    readEventId: string,
    owed: NonNullable<DigestMark['owed']>,
  ): Promise<'written' | 'stale'> {
    // The gsi4 entry's attributes, as keys.ts names them.
    const entry = Object.entries(commentKeys.digestDue(owed.dueAt, dealId));
    const names = Object.fromEntries(entry.map(([name], i) => [`#k${i}`, name]));
    const values = Object.fromEntries(entry.map(([, value], i) => [`:k${i}`, value]));
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: commentKeys.digest(dealId),
          UpdateExpression: `SET #owed = :owed, ${entry.map((_, i) => `#k${i} = :k${i}`).join(', ')}`,
          ConditionExpression: 'eventId = :read AND attribute_not_exists(#owed)',
          ExpressionAttributeNames: { '#owed': 'owed', ...names },
          ExpressionAttributeValues: { ':read': readEventId, ':owed': owed, ...values },
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }

  async dueDigests(before: string, limit: number): Promise<DigestMark[]> {
    const items = await queryDueShards(this.table, commentKeys.digestsDueBefore(before), limit);
    return items.map((item) => digestMarkOf(item));
  }
}

const digestMarkOf = (item: Record<string, unknown>): DigestMark => {
  const { version: _version, ...mark } = fromItem<DigestMark & { version: number }>(item);
  return mark;
};
