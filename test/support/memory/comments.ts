import type { DomainEvent } from '#domain/events.ts';
import type { Comment } from '#domain/model.ts';
import type { CommentQuery, CommentStore, DigestMark, PageRequest } from '#domain/ports.ts';
import { pageArray } from './deals.ts';

/** The CommentStore port in memory: storage only; events go to the shared outbox array. */
export class MemoryCommentStore implements CommentStore {
  readonly comments: Comment[] = [];
  readonly marks = new Map<string, DigestMark>();

  constructor(private readonly outbox: DomainEvent[]) {}

  async add(comment: Comment, events: readonly DomainEvent[]) {
    this.comments.push(structuredClone(comment));
    this.outbox.push(...structuredClone(events));
  }

  private newestFirst(engagementId: string): Comment[] {
    return this.comments
      .filter((comment) => comment.engagementId === engagementId)
      .sort((a, b) => b.id.localeCompare(a.id));
  }

  async list(query: CommentQuery, page: PageRequest) {
    const matching = this.newestFirst(query.engagementId).filter((comment) =>
      query.engagementComments
        ? comment.visibility === 'engagement' || comment.author.orgId === query.orgId
        : comment.visibility === 'org' && comment.author.orgId === query.orgId,
    );
    return pageArray(
      matching.map((comment) => structuredClone(comment)),
      page,
    );
  }

  async engagementCommentsSince(engagementId: string, afterCreatedAt: string | undefined, limit: number) {
    return this.newestFirst(engagementId)
      .filter(
        (comment) =>
          comment.visibility === 'engagement' &&
          (afterCreatedAt === undefined || comment.createdAt > afterCreatedAt),
      )
      .slice(0, limit);
  }

  async digestMark(dealId: string) {
    const mark = this.marks.get(dealId);
    return mark && { ...mark };
  }

  async putDigestMark(mark: DigestMark, readEventId: string | undefined) {
    if (this.marks.get(mark.dealId)?.eventId !== readEventId) return 'stale' as const;
    this.marks.set(mark.dealId, { ...mark });
    return 'written' as const;
  }
}
