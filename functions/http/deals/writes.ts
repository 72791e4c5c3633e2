/** The deals context's writes: one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as accept from './accept.ts';
import * as addComment from './add-comment.ts';
import * as assignOwner from './assign-owner.ts';
import * as changeStage from './change-stage.ts';
import * as close from './close.ts';
import * as create from './create.ts';
import * as decline from './decline.ts';
import * as invite from './invite.ts';
import * as markFavorite from './mark-favorite.ts';
import * as register from './register.ts';
import * as reviewRegistration from './review-registration.ts';
import * as startExport from './start-export.ts';
import * as unassignOwner from './unassign-owner.ts';
import * as unmarkFavorite from './unmark-favorite.ts';
import * as update from './update.ts';
import * as withdrawInvitation from './withdraw-invitation.ts';

export const handler = contextFunction('deals', 'writes', {
  'deals/create': create,
  'deals/update': update,
  'deals/change-stage': changeStage,
  'deals/close': close,
  'deals/invite': invite,
  'deals/withdraw-invitation': withdrawInvitation,
  'deals/accept': accept,
  'deals/decline': decline,
  'deals/register': register,
  'deals/review-registration': reviewRegistration,
  'deals/mark-favorite': markFavorite,
  'deals/unmark-favorite': unmarkFavorite,
  'deals/assign-owner': assignOwner,
  'deals/unassign-owner': unassignOwner,
  'deals/add-comment': addComment,
  'deals/start-export': startExport,
});
