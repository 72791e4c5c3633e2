/**
 * Comments on a deal's engagement — docs/domain.md §9.
 * Add input: `{ text (1–4000), visibility: 'engagement' | 'org' }` → the stored comment. List: a page,
 * newest first.
 * Rules: the caller's own deal, visible to the caller (else 404); terminal deals take no new
 * comments (409 terminal-deal); `engagement` comments are written and read only by orgs that take
 * part (the inviter and accepted participants; an org whose invitation is still received writes and
 * reads only its own org's comments); `org` comments stay in the author's org. A new engagement
 * comment is a `comment.created` event, written with it (the outbox), which the notification
 * consumer turns into a digest for the other orgs taking part.
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { ConflictError } from '../../kernel/errors.ts';
import { completeEvents, dealEvent } from '../../kernel/events.ts';
import type { Page, PageRequest } from '../../kernel/page.ts';
import { type Comment, type CommentVisibility, type Deal, isTerminal, takesPart } from '../model.ts';
import { commentsReadBy } from '../rules/comments.ts';
import { findVisibleDeal } from './read-deals.ts';

/** The other orgs that read the deal's engagement comments: those taking part, each with its own deal. */
const audienceOf = (deal: Deal): { orgId: string; dealId: string }[] =>
  Object.values(deal.participants)
    .filter((participant) => participant.orgId !== deal.orgId && takesPart(participant.status))
    .map(({ orgId, dealId }) => ({ orgId, dealId }));

export type AddCommentInput = { dealId: string; text: string; visibility: CommentVisibility };

/** Who may comment: a member who may see the deal (else 404); never refused for the deal's state. */
export const authorizeAddComment = async (deps: Deps, actor: Actor, ref: { dealId: string }) => {
  await findVisibleDeal(deps, actor, ref.dealId);
};

export const addComment = async (deps: Deps, actor: Actor, command: AddCommentInput): Promise<Comment> => {
  const { deal } = await findVisibleDeal(deps, actor, command.dealId);
  if (isTerminal(deal.status)) {
    throw new ConflictError('terminal-deal', `The deal is ${deal.status}; it takes no new comments.`);
  }
  if (command.visibility === 'engagement' && !takesPart(deal.status)) {
    throw new ConflictError(
      'invalid-transition',
      'Accept the invitation before writing to the engagement; until then comment for your org only.',
    );
  }
  const at = deps.clock.now().toISOString();
  const comment: Comment = {
    id: deps.ids.next(),
    engagementId: deal.engagementId,
    dealId: deal.id,
    visibility: command.visibility,
    text: command.text,
    author: { orgId: actor.orgId, orgName: actor.orgName, name: actor.name, sub: actor.sub },
    createdAt: at,
  };
  const events =
    comment.visibility === 'engagement'
      ? completeEvents(
          [dealEvent('comment.created', deal, { commentId: comment.id, audience: audienceOf(deal) })],
          at,
          deps.ids.next,
          {
            sub: actor.sub,
            email: actor.email,
          },
        )
      : [];
  await deps.comments.add(comment, events);
  return comment;
};

export const listComments = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  page: PageRequest,
): Promise<Page<Comment>> => {
  const { deal } = await findVisibleDeal(deps, actor, dealId);
  return deps.comments.list(
    { engagementId: deal.engagementId, anyOf: commentsReadBy(actor.orgId, takesPart(deal.status)) },
    page,
  );
};
