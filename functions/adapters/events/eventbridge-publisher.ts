/**
 * The EventPublisher port on EventBridge: `PutEvents` on the app's bus, source `co-sell.referrals`,
 * detail-type the event type, detail the event (whose `id` subscribers dedupe on: delivery is at
 * least once). A rejected entry rejects, so the consumer retries the outbox item.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '#domain/kernel/events.ts';
import type { EventPublisher } from '#domain/notifications/ports.ts';
import { busEntry } from './event-source.ts';

export class EventBridgePublisher implements EventPublisher {
  private readonly client: EventBridgeClient;

  constructor(
    private readonly busName: string,
    region: string,
    /** Only locally: the EventBridge emulator (infra/local/eventbridge-local.ts). */
    endpoint?: string,
  ) {
    this.client = new EventBridgeClient({ region, ...(endpoint ? { endpoint } : {}) });
  }

  async publish(event: DomainEvent): Promise<void> {
    const entry = busEntry(event);
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: entry.source,
            DetailType: entry.detailType,
            Time: new Date(entry.time),
            Detail: JSON.stringify(entry.detail),
          },
        ],
      }),
    );
    const failed = result.Entries?.[0];
    if ((result.FailedEntryCount ?? 0) > 0 || failed?.ErrorCode) {
      throw new Error(
        `EventBridge rejected ${event.type} ${event.id}: ${failed?.ErrorCode} ${failed?.ErrorMessage}`,
      );
    }
  }
}
