import { addComment } from '#domain/deals/use-cases/comments.ts';
import { memberRoute } from '../route.ts';
import { AddCommentBody, CommentResponse, commentResponse } from '../schemas/comments.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  { responses: { 201: CommentResponse }, params: IdParams, body: AddCommentBody },
  async ({ deps, actor, params, body }) => ({
    status: 201,
    body: commentResponse(await addComment(deps, actor, { dealId: params.id, ...body })),
  }),
);
