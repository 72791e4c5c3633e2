/** The identity context's reads (GET routes; no writes beyond a first sign-in): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as listApiClients from './list-api-clients.ts';
import * as listUsers from './list-users.ts';
import * as me from './me.ts';

export const handler = contextFunction('identity', 'reads', {
  'identity/me': me,
  'identity/list-users': listUsers,
  'identity/list-api-clients': listApiClients,
});
