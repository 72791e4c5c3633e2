/** The identity context's writes: one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as createApiClient from './create-api-client.ts';
import * as inviteUser from './invite-user.ts';
import * as removeUser from './remove-user.ts';
import * as revokeApiClient from './revoke-api-client.ts';
import * as updateUser from './update-user.ts';

export const handler = contextFunction('identity', 'writes', {
  'identity/invite-user': inviteUser,
  'identity/update-user': updateUser,
  'identity/remove-user': removeUser,
  'identity/create-api-client': createApiClient,
  'identity/revoke-api-client': revokeApiClient,
});
