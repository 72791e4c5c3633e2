import type { Comment } from '#domain/deals/model.ts';
import type { CommentQuery, CommentStore, DigestMark } from '#domain/deals/ports.ts';
import { matchesComment } from '#domain/deals/rules/comments.ts';
import type { DomainEvent } from '#domain/kernel/events.ts';
import type { PageRequest } from '#domain/kernel/page.ts';
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

  /** The query's comments: which ones is the domain's `matchesComment`, never decided here. */
  private matching(query: CommentQuery): Comment[] {
    return this.newestFirst(query.engagementId).filter((comment) => matchesComment(comment, query.anyOf));
  }

  async list(query: CommentQuery, page: PageRequest) {
    return pageArray(
      this.matching(query).map((comment) => structuredClone(comment)),
      page,
    );
  }

  async commentsSince(query: CommentQuery, afterCreatedAt: string | undefined, limit: number) {
    return this.matching(query)
      .filter((comment) => afterCreatedAt === undefined || comment.createdAt > afterCreatedAt)
      .slice(0, limit);
  }

  async digestMark(dealId: string) {
    const mark = this.marks.get(dealId);
    return mark && structuredClone(mark);
  }

  async putDigestMark(
    mark: DigestMark,
    readEventId: string | undefined,
    events: readonly DomainEvent[] = [],
  ) {
    if (this.marks.get(mark.dealId)?.eventId !== readEventId) return 'stale' as const;
    this.marks.set(mark.dealId, structuredClone(mark));
    this.outbox.push(...structuredClone(events));
    return 'written' as const;
  }

  async markDigestOwed(dealId: string, readEventId: string, owed: NonNullable<DigestMark['owed']>) {
    const mark = this.marks.get(dealId);
    if (!mark || mark.eventId !== readEventId || mark.owed) return 'stale' as const;
    this.marks.set(dealId, { ...mark, owed: { ...owed } });
    return 'written' as const;
  }

  async dueDigests(before: string, limit: number) {
    return [...this.marks.values()]
      .filter((mark) => mark.owed && mark.owed.dueAt <= before)
      .sort((a, b) => (a.owed?.dueAt ?? '').localeCompare(b.owed?.dueAt ?? ''))
      .slice(0, limit)
      .map((mark) => structuredClone(mark));
  }
}
