/**
 * The CommentStore port on the table: comments in their engagement's partition (keys.ts), written
 * with their outbox events in one transaction; the comment digest marks beside each recipient deal's
 * history. Which comments a reader gets is the domain's `CommentQuery`; this only turns it into a
 * filter.
 */
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#domain/events.ts';
import type { Comment } from '#domain/model.ts';
import type { CommentQuery, CommentStore, DigestMark, Page, PageRequest } from '#domain/ports.ts';
import { outboxItem } from './deal-store.ts';
import { isConditionFailure } from './errors.ts';
import { fromItem, getItem, nextKey, notExists, queryPage } from './items.ts';
import { commentKeys, ENTITY } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

const COMMENT_NAMES = {
  '#pk': TABLE_KEYS.partitionKey,
  '#sk': TABLE_KEYS.sortKey,
  '#visibility': 'visibility',
  '#author': 'author',
  '#orgId': 'orgId',
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
    const filter = query.engagementComments
      ? '#visibility = :engagement OR #author.#orgId = :org'
      : '#author.#orgId = :org AND #visibility = :org_only';
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        FilterExpression: filter,
        ExpressionAttributeNames: COMMENT_NAMES,
        ExpressionAttributeValues: {
          ':pk': partition.pk,
          ':prefix': partition.skPrefix,
          ':org': query.orgId,
          ...(query.engagementComments ? { ':engagement': 'engagement' } : { ':org_only': 'org' }),
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

  async engagementCommentsSince(
    engagementId: string,
    afterCreatedAt: string | undefined,
    limit: number,
  ): Promise<Comment[]> {
    const partition = commentKeys.engagementPartition(engagementId);
    const found: Comment[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey },
          ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': partition.skPrefix },
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
        if (comment.visibility === 'engagement') found.push(comment);
        if (found.length >= limit) return found;
      }
      after = result.LastEvaluatedKey;
    } while (after);
    return found;
  }

  async digestMark(dealId: string): Promise<DigestMark | undefined> {
    const item = await getItem(this.table, commentKeys.digest(dealId));
    if (!item) return undefined;
    const { version: _version, ...mark } = fromItem<DigestMark & { version: number }>(item);
    return mark;
  }

  async putDigestMark(mark: DigestMark, readEventId: string | undefined): Promise<'written' | 'stale'> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...commentKeys.digest(mark.dealId), type: ENTITY.commentDigest, version: 1, ...mark },
          ...(readEventId === undefined
            ? notExists
            : {
                ConditionExpression: 'eventId = :read',
                ExpressionAttributeValues: { ':read': readEventId },
              }),
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }
}
