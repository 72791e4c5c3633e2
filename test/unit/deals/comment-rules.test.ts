/**
 * Who reads which comment (domain/deals/rules/comments.ts): the rule is the domain's, as data the
 * stores only translate; here is what that data means.
 */
import { describe, expect, it } from 'vitest';
import type { Comment, CommentVisibility } from '#domain/deals/model.ts';
import { commentsReadBy, DIGEST_COMMENTS, matchesComment } from '#domain/deals/rules/comments.ts';

const comment = (orgId: string, visibility: CommentVisibility): Comment => ({
  id: `${orgId}-${visibility}`,
  engagementId: 'e',
  dealId: `deal-${orgId}`,
  visibility,
  text: 't',
  author: { orgId, orgName: orgId, name: 'n', sub: 's' },
  createdAt: '2026-11-01T09:00:00.000Z',
});

const ALL = [
  comment('own', 'engagement'),
  comment('own', 'org'),
  comment('other', 'engagement'),
  comment('other', 'org'),
];
const read = (anyOf: ReturnType<typeof commentsReadBy>) =>
  ALL.filter((c) => matchesComment(c, anyOf)).map((c) => c.id);

describe('who reads which comment', () => {
  it('an org taking part reads every engagement comment and all of its own', () => {
    expect(read(commentsReadBy('own', true))).toEqual(['own-engagement', 'own-org', 'other-engagement']);
  });

  it('an org no longer taking part reads only its own org-only comments', () => {
    expect(read(commentsReadBy('own', false))).toEqual(['own-org']);
  });

  it('never reads another org’s org-only comment, and a digest carries engagement comments only', () => {
    for (const takesPart of [true, false]) {
      expect(read(commentsReadBy('own', takesPart))).not.toContain('other-org');
    }
    expect(read([...DIGEST_COMMENTS])).toEqual(['own-engagement', 'other-engagement']);
  });
});
