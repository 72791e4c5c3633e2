/** The webhooks context's reads (GET routes, which write nothing): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as deliveries from './deliveries.ts';
import * as get from './get.ts';
import * as list from './list.ts';

export const handler = contextFunction('webhooks', 'reads', {
  'webhooks/list': list,
  'webhooks/get': get,
  'webhooks/deliveries': deliveries,
});
