/** The operations context's reads (GET routes, which write nothing): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as health from './health.ts';
import * as openapi from './openapi.ts';

export const handler = contextFunction('operations', 'reads', {
  'operations/health': health,
  'operations/openapi': openapi,
});
