/**
 * The outbox item of one event (deal or member event), written in the same transaction as the change
 * it reports; the table's stream hands the insert to the notification and webhook consumers.
 */
import type { OutboxEvent } from '#domain/kernel/events.ts';
import { ENTITY, outboxKeys } from './keys.ts';

/** The event sits under `event`: its own `type` must not collide with the item's entity tag. */
export const outboxItem = (event: OutboxEvent) => ({
  ...outboxKeys.item(event.id),
  type: ENTITY.outbox,
  version: 1,
  event,
});
