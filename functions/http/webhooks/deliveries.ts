import { listDeliveries } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { DeliveriesQuery, DeliveryPage, deliveryView, WebhookParams } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description:
      "Each delivery with its attempts so far, its status (`pending`, `succeeded`, `failed`), the receiver's last response status and the next attempt's time.",
    responses: { 200: DeliveryPage },
    params: WebhookParams,
    query: DeliveriesQuery,
    summary: "The endpoint's delivery log, newest first",
  },
  async ({ actor, deps, params, query, page, pageBody }) => {
    const result = await listDeliveries(
      webhookAdminDeps(deps),
      actor,
      params.id,
      page(query.limit, query.cursor),
    );
    return { status: 200, body: pageBody(result, deliveryView) };
  },
);
