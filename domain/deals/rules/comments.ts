/**
 * Who reads which comment of an engagement (docs/domain.md §9), as data: a list of matches of which
 * a comment must meet one. The comment store turns the list into its own query (a filter
 * expression, an array filter) without knowing the rule; `matchesComment` is what the list means.
 */
import type { Comment, CommentVisibility } from '../model.ts';

/** One way of matching a comment: every field given must be the comment's. */
export type CommentMatch = { visibility?: CommentVisibility; authorOrgId?: string };

/**
 * What an org reads of its engagement's comments: while its deal takes part, every engagement
 * comment and all of its own; once it no longer takes part, only its own org-only comments (what it
 * said to the engagement is no longer its to read there).
 */
export const commentsReadBy = (orgId: string, takesPart: boolean): CommentMatch[] =>
  takesPart
    ? [{ visibility: 'engagement' }, { authorOrgId: orgId }]
    : [{ visibility: 'org', authorOrgId: orgId }];

/** What a digest email carries: the engagement comments (org-only ones are never mailed out). */
export const DIGEST_COMMENTS: readonly CommentMatch[] = [{ visibility: 'engagement' }];

export const matchesComment = (comment: Comment, anyOf: readonly CommentMatch[]): boolean =>
  anyOf.some(
    (match) =>
      (match.visibility === undefined || comment.visibility === match.visibility) &&
      (match.authorOrgId === undefined || comment.author.orgId === match.authorOrgId),
  );
