/** How domain events appear on the bus: the source, and the event type as the detail-type. */
import type { DomainEvent } from '#domain/kernel/events.ts';

export const EVENT_SOURCE = 'co-sell.referrals';

/** One bus entry (or one line of the local log): `detail` is the whole domain event, its `id` the dedupe key. */
export const busEntry = (event: DomainEvent) => ({
  source: EVENT_SOURCE,
  detailType: event.type,
  time: event.at,
  detail: event,
});
