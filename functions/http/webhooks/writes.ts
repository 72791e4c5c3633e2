/** The webhooks context's writes: one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as create from './create.ts';
import * as remove from './delete.ts';
import * as redeliver from './redeliver.ts';
import * as rotateSecret from './rotate-secret.ts';
import * as test from './test.ts';
import * as update from './update.ts';

export const handler = contextFunction('webhooks', 'writes', {
  'webhooks/create': create,
  'webhooks/update': update,
  'webhooks/delete': remove,
  'webhooks/test': test,
  'webhooks/redeliver': redeliver,
  'webhooks/rotate-secret': rotateSecret,
});
