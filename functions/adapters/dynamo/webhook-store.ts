/**
 * The WebhookStore port on the table (docs/data-model.md "Webhooks"): endpoints in their org's
 * webhook partition, deliveries in their endpoint's partition. A pending delivery carries gsi4 keys
 * for its due time; claiming it and recording an attempt are single conditional writes on the due
 * time it was read with, so two workers never both attempt it and a crashed worker's claim runs out.
 * Deliveries expire by TTL 30 days after their last change. The org's endpoints are counted
 * (counters.ts): creating and deleting one moves the count in the same transaction.
 *
 * An endpoint's signing secrets are stored as the domain hands them over: sealed (`sealedSecret`,
 * `previousSecret.sealed`: the sealer's ciphertext), or in plaintext in the attributes the release
 * before sealing wrote (`secret`, `previousSecret.secret`), which are still read so those endpoints
 * keep being signed for until their next edit or rotation seals them.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Quota } from '#domain/kernel/limits.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import type { StoredSecret, Webhook, WebhookDelivery } from '#domain/webhooks/model.ts';
import type { WebhookStore } from '#domain/webhooks/ports.ts';
import { type Counter, deleteCounted, putCounted } from './counters.ts';
import { isConditionFailure } from './errors.ts';
import {
  fromItem,
  getItem,
  type Item,
  notExists,
  partitionPrefix,
  queryDueShards,
  queryPartition,
} from './items.ts';
import { ENTITY, webhookDeliveryKeys, webhookKeys } from './keys.ts';
import { epochSeconds, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** A secret's attributes: `sealed`, or `secret` for a plaintext one (the earlier release's layout). */
type SecretAttributes = { sealed: string } | { secret: string };

const secretAttributes = (stored: StoredSecret): SecretAttributes =>
  'sealed' in stored ? { sealed: stored.sealed } : { secret: stored.plaintext };

const fromSecretAttributes = (attributes: Partial<SecretAttributes>): StoredSecret => {
  if ('sealed' in attributes && typeof attributes.sealed === 'string') return { sealed: attributes.sealed };
  if ('secret' in attributes && typeof attributes.secret === 'string')
    return { plaintext: attributes.secret };
  throw new Error('A webhook item holds no signing secret');
};

type WebhookItem = Omit<Webhook, 'secret' | 'previousSecret'> & {
  sealedSecret?: string;
  secret?: string;
  previousSecret?: Partial<SecretAttributes> & { until: string };
};

const webhookItem = ({ secret, previousSecret, ...webhook }: Webhook): Item => {
  const current = secretAttributes(secret);
  return {
    ...webhookKeys.item(webhook.orgId, webhook.id),
    ...webhook,
    ...('sealed' in current ? { sealedSecret: current.sealed } : current),
    ...(previousSecret
      ? { previousSecret: { ...secretAttributes(previousSecret.secret), until: previousSecret.until } }
      : {}),
    type: ENTITY.webhook,
  };
};

const fromWebhookItem = (item: Item): Webhook => {
  const { sealedSecret, secret, previousSecret, ...webhook } = fromItem<WebhookItem>(item);
  return {
    ...webhook,
    secret: fromSecretAttributes(sealedSecret !== undefined ? { sealed: sealedSecret } : { secret }),
    ...(previousSecret
      ? { previousSecret: { secret: fromSecretAttributes(previousSecret), until: previousSecret.until } }
      : {}),
  };
};

/** `type` names the item's entity, so the delivery's event type is stored as `eventType`. */
const deliveryItem = ({ type: eventType, ...delivery }: WebhookDelivery): Item => ({
  ...webhookDeliveryKeys.item(delivery.webhookId, delivery.id),
  ...(delivery.status === 'pending' && delivery.dueAt
    ? webhookDeliveryKeys.byDueTime(delivery.dueAt, delivery.webhookId, delivery.id)
    : {}),
  ...delivery,
  type: ENTITY.webhookDelivery,
  eventType,
  [TTL_ATTRIBUTE]: epochSeconds(new Date(new Date(delivery.at).getTime() + DELIVERY_RETENTION_MS)),
});

const fromDeliveryItem = (item: Item): WebhookDelivery => {
  const { eventType, ...rest } = fromItem<
    Omit<WebhookDelivery, 'type'> & { eventType: WebhookDelivery['type'] }
  >(item);
  return { ...rest, type: eventType };
};

/** A put that replaces the delivery only while it is still pending at the due time it was read with. */
const whileDueAt = (dueAt: string | undefined) => ({
  ConditionExpression: '#status = :pending AND dueAt = :dueAt',
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: { ':pending': 'pending', ':dueAt': dueAt ?? '' },
});

export class DynamoWebhookStore implements WebhookStore {
  constructor(private readonly table: TableRef) {}

  async list(orgId: string): Promise<Webhook[]> {
    const partition = webhookKeys.orgPartition(orgId);
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        ...partitionPrefix(partition),
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(fromWebhookItem);
  }

  async get(orgId: string, webhookId: string): Promise<Webhook | undefined> {
    const item = await getItem(this.table, webhookKeys.item(orgId, webhookId));
    return item ? fromWebhookItem(item) : undefined;
  }

  private counter(orgId: string): Counter {
    return {
      key: webhookKeys.counter(orgId),
      countItems: async () => (await this.list(orgId)).length,
    };
  }

  create(webhook: Webhook, quota: Quota) {
    return putCounted(this.table, this.counter(webhook.orgId), quota, {
      Put: { TableName: this.table.tableName, Item: webhookItem(webhook), ...notExists },
    });
  }

  async update(next: Webhook): Promise<'written' | 'stale'> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: webhookItem(next),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': next.version - 1 },
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }

  async remove(orgId: string, webhookId: string) {
    const outcome = await deleteCounted(this.table, this.counter(orgId), webhookKeys.item(orgId, webhookId));
    return outcome === 'deleted' ? ('removed' as const) : outcome;
  }

  async addDelivery(delivery: WebhookDelivery): Promise<'written' | 'exists'> {
    try {
      await this.table.db.send(
        new PutCommand({ TableName: this.table.tableName, Item: deliveryItem(delivery), ...notExists }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async getDelivery(webhookId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const item = await getItem(this.table, webhookDeliveryKeys.item(webhookId, deliveryId));
    return item ? fromDeliveryItem(item) : undefined;
  }

  async listDeliveries(webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const partition = webhookDeliveryKeys.webhookPartition(webhookId);
    const result = await queryPartition(this.table, partition, page, { newestFirst: true });
    return {
      items: result.items.map((item) => fromDeliveryItem(item)),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  async dueDeliveries(before: string, limit: number): Promise<WebhookDelivery[]> {
    const items = await queryDueShards(this.table, webhookDeliveryKeys.dueBefore(before), limit);
    return items.map((item) => fromDeliveryItem(item));
  }

  async claim(delivery: WebhookDelivery, leaseUntil: string): Promise<WebhookDelivery | undefined> {
    const claimed: WebhookDelivery = { ...delivery, dueAt: leaseUntil };
    return (await this.record(delivery, claimed)) === 'written' ? claimed : undefined;
  }

  async record(claimed: WebhookDelivery, next: WebhookDelivery): Promise<'written' | 'stale'> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: deliveryItem(next),
          ...whileDueAt(claimed.dueAt),
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }
}
