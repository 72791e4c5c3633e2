/**
 * The ExportJobStore port on the table: one item per job in its org's partition, removed by TTL at
 * the job's `expiresAt`. Finishing is a put on condition that the stored job is still running.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportJob } from '#domain/deals/model.ts';
import type { ExportJobStore } from '#domain/deals/ports.ts';
import { isConditionFailure } from './errors.ts';
import { fromItem, getItem, type Item, notExists } from './items.ts';
import { ENTITY, exportKeys } from './keys.ts';
import { epochSeconds, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

const exportItem = (job: ExportJob): Item => ({
  ...exportKeys.item(job.orgId, job.id),
  ...job,
  type: ENTITY.exportJob,
  [TTL_ATTRIBUTE]: epochSeconds(job.expiresAt),
});

export class DynamoExportStore implements ExportJobStore {
  constructor(private readonly table: TableRef) {}

  async create(job: ExportJob): Promise<void> {
    await this.table.db.send(
      new PutCommand({ TableName: this.table.tableName, Item: exportItem(job), ...notExists }),
    );
  }

  async get(orgId: string, id: string): Promise<ExportJob | undefined> {
    const item = await getItem(this.table, exportKeys.item(orgId, id));
    return item ? fromItem<ExportJob>(item) : undefined;
  }

  async finish(job: ExportJob): Promise<'written' | 'stale'> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: exportItem(job),
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running' },
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }
}
