import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import type { Deps } from '#domain/ports.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { getDeps } from '#functions/composition.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';

let w: World & { tableName: string };
let deps: Deps;
beforeAll(async () => {
  w = await apiWorld();
  deps = getDeps();
});

const ROUNDS = 20;

const itemsOf = async (filter: Record<string, unknown>) => {
  const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT });
  const names = Object.keys(filter);
  const result = await db.send(
    new ScanCommand({
      TableName: w.tableName,
      ConsistentRead: true,
      FilterExpression: names.map((_, i) => `#k${i} = :v${i}`).join(' AND '),
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#k${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, filter[name]])),
    }),
  );
  return result.Items ?? [];
};

describe('accept, decline and expiry racing for one invitation on DynamoDB Local', () => {
  // Each round's losers pause (domain/retry.ts) before they re-read and give up; with the whole tier
  // sharing DynamoDB Local on a busy machine, 20 rounds need more than the default 30 s.
  it(`leave exactly one outcome, written whole, in ${ROUNDS} rounds`, { timeout: 120_000 }, async () => {
    // The expiry job runs with a clock past the deadline, the invitee with one before it, so that all
    // three are allowed on their own and only the storage conditions can keep them apart.
    const late = { ...deps, clock: { now: () => new Date('2026-11-20T00:00:00.000Z') } };
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { deal, received } = await w.invited(w.partner, w.other);

      const results = await Promise.allSettled([
        acceptInvitation(deps, w.other, { dealId: received.id, notes: 'yes' }),
        declineInvitation(deps, w.other, { dealId: received.id, reason: 'no-capacity' }),
        expireInvitations(late),
      ]);
      const [accepted, declined] = results;
      const wins = [accepted, declined].filter((result) => result.status === 'fulfilled').length;
      const final = (await getVisibleDeal(deps, w.other, received.id)).deal;
      outcomes.push(final.status);

      expect(['accepted', 'declined', 'expired']).toContain(final.status);
      expect(wins).toBe(final.status === 'expired' ? 0 : 1);
      expect(final.version).toBe(2);
      expect(final.notes === 'yes').toBe(final.status === 'accepted');
      // The inviter's copy and the engagement agree with the invitee's deal.
      const inviting = (await getVisibleDeal(deps, w.partner, deal.id)).deal;
      expect(inviting.participants[w.other.orgId]?.status).toBe(final.status);
      const [engagement] = await itemsOf({ pk: `ENG#${deal.engagementId}` });
      const engagementParticipants = (engagement?.participants ?? {}) as Record<string, { status: string }>;
      expect(engagementParticipants[w.other.orgId]?.status).toBe(final.status);
      // One history entry, one responsiveness record and one outbox event for the answer.
      expect((await deps.deals.history(received.id, { limit: 10 })).items).toHaveLength(2);
      const answers = await itemsOf({ type: 'InvitationAnswer', dealId: received.id });
      expect(answers.map((answer) => answer.outcome)).toEqual([final.status]);
      const events = (await itemsOf({ type: 'Outbox' })).filter(
        (item) => item.event.dealId === received.id && item.event.type !== 'invitation.created',
      );
      expect(events.map((item) => item.event.type)).toEqual([`invitation.${final.status}`]);
    }
    // Not a requirement, but a race test that never races proves little: say what happened.
    console.info(
      'race outcomes',
      Object.fromEntries(
        ['accepted', 'declined', 'expired'].map((s) => [s, outcomes.filter((o) => o === s).length]),
      ),
    );
  });
});

describe('the sparse expiry index on DynamoDB Local', () => {
  it('holds only received deals, keyed by their next action', async () => {
    const { deal } = await w.invited(w.partner, w.other);
    const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT });
    const result = await db.send(
      new QueryCommand({
        TableName: w.tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RECEIVED' },
      }),
    );
    // Every earlier invitation of this file was answered or expired and left the index.
    expect(
      (result.Items ?? []).map((item) => [item.status, item.invitation.fromDealId, item.gsi4sk.slice(0, 24)]),
    ).toEqual([['received', deal.id, '2026-11-12T09:00:00.000Z']]);
  });
});
