/** The identity context's reads (GET routes, which write nothing): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as listApiClients from './list-api-clients.ts';
import * as listUsers from './list-users.ts';
import * as me from './me.ts';
import * as myInvitations from './my-invitations.ts';

export const handler = contextFunction('identity', 'reads', {
  'identity/me': me,
  'identity/list-users': listUsers,
  'identity/list-api-clients': listApiClients,
  'identity/my-invitations': myInvitations,
});
