import { beforeAll, describe, expect, it } from 'vitest';
import type { Comment } from '#domain/deals/model.ts';
import { commentsReadBy, DIGEST_COMMENTS } from '#domain/deals/rules/comments.ts';
import type { DomainEvent } from '#domain/kernel/events.ts';
import { DynamoCommentStore } from '#functions/adapters/dynamo/comment-store.ts';
import { getItem } from '#functions/adapters/dynamo/items.ts';
import { outboxKeys } from '#functions/adapters/dynamo/keys.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { ulidIds } from '#functions/adapters/system.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let comments: DynamoCommentStore;
beforeAll(async () => {
  table = await createTestTable();
  comments = new DynamoCommentStore(table);
});

const aComment = (
  engagementId: string,
  orgId: string,
  visibility: Comment['visibility'],
  createdAt: string,
): Comment => ({
  id: ulidIds.next(),
  engagementId,
  dealId: `deal-${orgId}`,
  visibility,
  text: `${orgId} ${visibility} ${createdAt}`,
  author: { orgId, orgName: orgId, name: 'Someone', sub: `${orgId}-sub` },
  createdAt,
});

describe('the comment store on DynamoDB Local', () => {
  it('lists an org its own comments plus engagement comments while taking part, newest first, paged', async () => {
    const engagement = ulidIds.next();
    const written = [
      aComment(engagement, 'org-a', 'engagement', '2026-11-01T09:00:00.000Z'),
      aComment(engagement, 'org-a', 'org', '2026-11-01T09:01:00.000Z'),
      aComment(engagement, 'org-b', 'engagement', '2026-11-01T09:02:00.000Z'),
      aComment(engagement, 'org-b', 'org', '2026-11-01T09:03:00.000Z'),
      aComment(ulidIds.next(), 'org-a', 'engagement', '2026-11-01T09:04:00.000Z'),
    ];
    for (const comment of written) await comments.add(comment, []);
    const ids = async (orgId: string, takesPart: boolean) =>
      (
        await comments.list(
          { engagementId: engagement, anyOf: commentsReadBy(orgId, takesPart) },
          { limit: 10 },
        )
      ).items.map((comment) => written.indexOf(written.find((w) => w.id === comment.id) as Comment));
    expect(await ids('org-a', true)).toEqual([2, 1, 0]);
    expect(await ids('org-b', true)).toEqual([3, 2, 0]);
    // Not taking part: its own org comments only.
    expect(await ids('org-b', false)).toEqual([3]);
    expect(await ids('org-c', false)).toEqual([]);

    const first = await comments.list(
      { engagementId: engagement, anyOf: commentsReadBy('org-a', true) },
      { limit: 2 },
    );
    expect(first.next).toBeDefined();
    const since = await comments.commentsSince(
      { engagementId: engagement, anyOf: DIGEST_COMMENTS },
      '2026-11-01T09:00:00.000Z',
      10,
    );
    expect(since.map((comment) => comment.id)).toEqual([written[2]?.id]);
  });

  it('writes a digest mark only over the mark it read', async () => {
    const dealId = ulidIds.next();
    const mark = {
      dealId,
      eventId: 'e1',
      sentAt: '2026-11-01T09:00:00.000Z',
      through: '2026-11-01T09:00:00.000Z',
    };
    expect(await comments.putDigestMark(mark, undefined)).toBe('written');
    expect(await comments.putDigestMark({ ...mark, eventId: 'e2' }, undefined)).toBe('stale');
    expect(await comments.putDigestMark({ ...mark, eventId: 'e3' }, 'e2')).toBe('stale');
    expect(await comments.putDigestMark({ ...mark, eventId: 'e4' }, 'e1')).toBe('written');
    expect(await comments.digestMark(dealId)).toEqual({ ...mark, eventId: 'e4' });
  });

  it('records an owed digest on the mark it read, finds it once due, and settles it with its event', async () => {
    const dealId = ulidIds.next();
    const mark = {
      dealId,
      eventId: 'e1',
      sentAt: '2026-11-02T09:00:00.000Z',
      through: '2026-11-02T09:00:00.000Z',
    };
    const owed = { dueAt: '2026-11-02T10:00:00.000Z', orgId: 'org-b', engagementId: 'eng-1' };
    const dueFor = async (before: string) =>
      (await comments.dueDigests(before, 100)).filter((due) => due.dealId === dealId);

    expect(await comments.markDigestOwed(dealId, 'e1', owed)).toBe('stale');
    expect(await comments.putDigestMark(mark, undefined)).toBe('written');
    expect(await comments.markDigestOwed(dealId, 'e0', owed)).toBe('stale');
    expect(await comments.markDigestOwed(dealId, 'e1', owed)).toBe('written');
    // Owed once: a second throttled comment changes nothing.
    expect(await comments.markDigestOwed(dealId, 'e1', { ...owed, dueAt: '2026-11-02T10:05:00.000Z' })).toBe(
      'stale',
    );
    expect(await comments.digestMark(dealId)).toEqual({ ...mark, owed });

    expect(await dueFor('2026-11-02T09:59:59.999Z')).toEqual([]);
    expect(await dueFor('2026-11-02T10:00:00.000Z')).toEqual([{ ...mark, owed }]);

    const event = (id: string): DomainEvent => ({
      id,
      type: 'comment.digest',
      at: '2026-11-02T10:01:00.000Z',
      orgId: 'org-b',
      dealId,
      engagementId: 'eng-1',
    });
    const sweepMark = (eventId: string) => ({
      dealId,
      eventId,
      sentAt: '2026-11-02T10:01:00.000Z',
      since: mark.through,
      through: '2026-11-02T10:01:00.000Z',
    });
    const lost = ulidIds.next();
    // Another digest claimed the mark since the sweep read it: neither the mark nor the event is written.
    expect(await comments.putDigestMark(sweepMark(lost), 'e0', [event(lost)])).toBe('stale');
    expect(await getItem(table, outboxKeys.item(lost))).toBeUndefined();

    const won = ulidIds.next();
    expect(await comments.putDigestMark(sweepMark(won), 'e1', [event(won)])).toBe('written');
    expect(await getItem(table, outboxKeys.item(won))).toMatchObject({ event: event(won) });
    expect(await comments.digestMark(dealId)).toEqual(sweepMark(won));
    expect(await dueFor('2026-11-03T00:00:00.000Z')).toEqual([]);
  });
});
