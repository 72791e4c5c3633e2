/**
 * Attachment records on the single table (docs/data-model.md): one item per attachment in its deal's
 * partition, counted by the deal's attachment counter (counters.ts) in the same transaction as each
 * create. The bytes are in the bucket (functions/adapters/s3/file-store.ts).
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '#domain/attachments/model.ts';
import type { AttachmentStore } from '#domain/attachments/ports.ts';
import type { Quota } from '#domain/kernel/limits.ts';
import { putCounted } from './counters.ts';
import { fromItem, getItem, type Item, notExists, partitionPrefix } from './items.ts';
import { attachmentKeys, ENTITY } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

const attachmentItem = (attachment: Attachment): Item => ({
  ...attachmentKeys.item(attachment.dealId, attachment.id),
  type: ENTITY.attachment,
  version: 1,
  ...attachment,
});

const toAttachment = (item: Item): Attachment => {
  const { version: _version, ...attachment } = fromItem<Attachment & { version: number }>(item);
  return attachment;
};

export class DynamoAttachmentStore implements AttachmentStore {
  constructor(private readonly table: TableRef) {}

  create(attachment: Attachment, quota: Quota) {
    const counter = {
      key: attachmentKeys.counter(attachment.dealId),
      countItems: async () => (await this.listByDeal(attachment.dealId)).length,
    };
    return putCounted(this.table, counter, quota, {
      Put: { TableName: this.table.tableName, Item: attachmentItem(attachment), ...notExists },
    });
  }

  async get(dealId: string, attachmentId: string): Promise<Attachment | undefined> {
    const item = await getItem(this.table, attachmentKeys.item(dealId, attachmentId));
    return item ? toAttachment(item) : undefined;
  }

  async listByDeal(dealId: string): Promise<Attachment[]> {
    const partition = attachmentKeys.dealPartition(dealId);
    const attachments: Attachment[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          ...partitionPrefix(partition),
          ConsistentRead: true,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      attachments.push(...(result.Items ?? []).map(toAttachment));
      after = result.LastEvaluatedKey;
    } while (after);
    return attachments;
  }

  /** What the bucket said only ever moves forward (uploaded, scanned), so a plain overwrite is safe. */
  async update(attachment: Attachment): Promise<void> {
    await this.table.db.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: attachmentItem(attachment),
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      }),
    );
  }
}
