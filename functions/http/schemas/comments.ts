/** Request and response shapes of a deal's comments. */
import * as z from 'zod';
import { COMMENT_VISIBILITIES, type Comment } from '#domain/deals/model.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { PageQuery, pageOf, Timestamp } from './common.ts';

export const AddCommentBody = z.strictObject({
  text: z.string().trim().min(1).max(LIMITS.comment),
  visibility: z.enum(COMMENT_VISIBILITIES),
});

export const CommentsQuery = z.strictObject(PageQuery);

/** The author by org and name only: no user id or email of another org's people. */
export const CommentResponse = z.object({
  id: z.string(),
  text: z.string(),
  visibility: z.enum(COMMENT_VISIBILITIES),
  author: z.object({ orgId: z.string(), orgName: z.string(), name: z.string() }),
  createdAt: Timestamp,
});

export const CommentPage = pageOf(CommentResponse);

export const commentResponse = (comment: Comment): z.infer<typeof CommentResponse> => ({
  id: comment.id,
  text: comment.text,
  visibility: comment.visibility,
  author: { orgId: comment.author.orgId, orgName: comment.author.orgName, name: comment.author.name },
  createdAt: comment.createdAt,
});
