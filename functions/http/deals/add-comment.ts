import { addComment, authorizeAddComment } from '#domain/deals/use-cases/comments.ts';
import { memberRoute } from '../route.ts';
import { AddCommentBody, CommentResponse, commentResponse } from '../schemas/comments.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: 'Comment on a deal',
    description:
      "Adds a comment: `engagement` comments are seen by the inviting org and every org that accepted, `org` comments stay in the caller's org. Terminal deals refuse new comments (409). Other orgs' deal teams get an hourly digest email.",
    examples: {
      engagement: {
        summary: 'A comment every org of the engagement reads',
        value: { text: 'The customer asked for a workshop in March.', visibility: 'engagement' },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeAddComment(deps, actor, { dealId: params.id }),
    responses: { 201: CommentResponse },
    params: IdParams,
    body: AddCommentBody,
  },
  async ({ deps, actor, params, body }) => ({
    status: 201,
    body: commentResponse(await addComment(deps, actor, { dealId: params.id, ...body })),
  }),
);
