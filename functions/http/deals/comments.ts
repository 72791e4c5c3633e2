import { listComments } from '#domain/deals/use-cases/comments.ts';
import { memberRoute } from '../route.ts';
import { CommentPage, CommentsQuery, commentResponse } from '../schemas/comments.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: "A deal's comments, newest first",
    description:
      "The caller's org's comments and every `engagement` comment of the orgs taking part; an invitee that has not accepted sees none. Paged with `cursor`.",
    responses: { 200: CommentPage },
    params: IdParams,
    query: CommentsQuery,
  },
  async ({ deps, actor, params, query, page, pageBody }) => {
    const result = await listComments(deps, actor, params.id, page(query.limit, query.cursor));
    return { status: 200, body: pageBody(result, commentResponse) };
  },
);
