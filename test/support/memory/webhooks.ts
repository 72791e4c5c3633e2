/**
 * The WebhookStore port in memory, with the DynamoDB adapter's conditions: a delivery is claimed
 * and recorded only while still pending at the due time it was read with; an endpoint is replaced
 * only at the version read; an endpoint is added only while the org holds fewer than its quota.
 */
import type { Quota } from '#domain/kernel/limits.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import type { Webhook, WebhookDelivery } from '#domain/webhooks/model.ts';
import type { WebhookStore } from '#domain/webhooks/ports.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryWebhookStore implements WebhookStore {
  readonly webhooks = new Map<string, Webhook>();
  readonly deliveries = new Map<string, WebhookDelivery>();

  private deliveryKey = (webhookId: string, deliveryId: string) => `${webhookId}/${deliveryId}`;

  async list(orgId: string) {
    return [...this.webhooks.values()]
      .filter((webhook) => webhook.orgId === orgId)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(copy);
  }

  async get(orgId: string, webhookId: string) {
    const webhook = this.webhooks.get(webhookId);
    return webhook?.orgId === orgId ? copy(webhook) : undefined;
  }

  async create(webhook: Webhook, quota: Quota) {
    if (this.webhooks.has(webhook.id)) throw new Error(`webhook ${webhook.id} exists`);
    // Checked and written in one synchronous step, as the adapter's transaction does.
    const held = [...this.webhooks.values()].filter((stored) => stored.orgId === webhook.orgId).length;
    if (held >= quota.limit) return 'limit-reached' as const;
    this.webhooks.set(webhook.id, copy(webhook));
    return 'written' as const;
  }

  async update(next: Webhook) {
    const current = this.webhooks.get(next.id);
    if (!current || current.version !== next.version - 1) return 'stale' as const;
    this.webhooks.set(next.id, copy(next));
    return 'written' as const;
  }

  async remove(orgId: string, webhookId: string) {
    if (this.webhooks.get(webhookId)?.orgId !== orgId) return 'absent' as const;
    this.webhooks.delete(webhookId);
    return 'removed' as const;
  }

  async addDelivery(delivery: WebhookDelivery) {
    const key = this.deliveryKey(delivery.webhookId, delivery.id);
    if (this.deliveries.has(key)) return 'exists' as const;
    this.deliveries.set(key, copy(delivery));
    return 'written' as const;
  }

  async getDelivery(webhookId: string, deliveryId: string) {
    const delivery = this.deliveries.get(this.deliveryKey(webhookId, deliveryId));
    return delivery && copy(delivery);
  }

  async listDeliveries(webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const all = [...this.deliveries.values()]
      .filter((delivery) => delivery.webhookId === webhookId)
      .sort((a, b) => b.id.localeCompare(a.id));
    const start = page.after ? Number(page.after.offset) : 0;
    const items = all.slice(start, start + page.limit).map(copy);
    return {
      items,
      ...(start + page.limit < all.length ? { next: { offset: start + page.limit } } : {}),
    };
  }

  async dueDeliveries(before: string, limit: number) {
    return [...this.deliveries.values()]
      .filter(
        (delivery) =>
          delivery.status === 'pending' && delivery.dueAt !== undefined && delivery.dueAt <= before,
      )
      .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!))
      .slice(0, limit)
      .map(copy);
  }

  async claim(delivery: WebhookDelivery, leaseUntil: string) {
    const claimed = { ...delivery, dueAt: leaseUntil };
    return (await this.record(delivery, claimed)) === 'written' ? copy(claimed) : undefined;
  }

  async record(claimed: WebhookDelivery, next: WebhookDelivery) {
    const key = this.deliveryKey(claimed.webhookId, claimed.id);
    const current = this.deliveries.get(key);
    if (current?.status !== 'pending' || current.dueAt !== claimed.dueAt) return 'stale' as const;
    this.deliveries.set(key, copy(next));
    return 'written' as const;
  }
}
