import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { withdrawInvitation } from '#domain/deals/use-cases/withdraw-invitation.ts';
import type { Deps } from '#domain/deps.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { dealKeys } from '#functions/adapters/dynamo/keys.ts';
import { getDeps } from '#functions/composition/deps.ts';
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
  // Each round's losers pause (domain/kernel/retry.ts) before they re-read and give up; with the whole tier
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

describe('accept, decline, expiry, withdrawal and closing racing for one invitation on DynamoDB Local', () => {
  const WIDE_ROUNDS = 12;
  it(`leave exactly one outcome, written whole on every copy, with one event, in ${WIDE_ROUNDS} rounds`, {
    timeout: 180_000,
  }, async () => {
    const late = { ...deps, clock: { now: () => new Date('2026-11-20T00:00:00.000Z') } };
    const outcomes: string[] = [];
    for (let round = 0; round < WIDE_ROUNDS; round++) {
      const { deal, received } = await w.invited(w.partner, w.other);

      const racers = {
        accept: () => acceptInvitation(deps, w.other, { dealId: received.id, notes: 'yes' }),
        decline: () => declineInvitation(deps, w.other, { dealId: received.id, reason: 'no-capacity' }),
        expire: () => expireInvitations(late),
        withdraw: () => withdrawInvitation(deps, w.partner, { dealId: deal.id, orgId: w.other.orgId }),
        close: () => closeDeal(deps, w.partner, { dealId: deal.id, outcome: 'lost', reason: 'no-decision' }),
      };
      // Answers need one read, a withdrawal two: with every racer in, the invitee nearly always wins.
      // So a third of the rounds race all five, a third leave out decline and expiry, a third race
      // the inviter's two withdrawals alone; and each round another racer starts first.
      const names = (Object.keys(racers) as (keyof typeof racers)[]).filter(
        (name) =>
          round % 3 === 0 ||
          (round % 3 === 1 && name !== 'decline' && name !== 'expire') ||
          name === 'withdraw' ||
          name === 'close',
      );
      const order = names.map((_, i) => names[(i + round) % names.length] as keyof typeof racers);
      const settled = await Promise.allSettled(order.map((name) => racers[name]()));
      const result = (name: keyof typeof racers) => {
        const at = order.indexOf(name);
        return at < 0 ? undefined : settled[at];
      };
      const [accepted, declined, withdrawn, closed] = [
        result('accept'),
        result('decline'),
        result('withdraw'),
        result('close'),
      ];
      const final = (await getVisibleDeal(deps, w.other, received.id)).deal;
      outcomes.push(final.status);

      expect(['accepted', 'declined', 'expired', 'withdrawn']).toContain(final.status);
      // Closing always lands (it re-reads after a lost race); the invitation ends exactly once.
      expect(closed?.status).toBe('fulfilled');
      expect([accepted, declined].filter((r) => r?.status === 'fulfilled').length).toBe(
        final.status === 'accepted' || final.status === 'declined' ? 1 : 0,
      );
      if (withdrawn?.status === 'fulfilled') expect(final.status).toBe('withdrawn');
      expect(final.version).toBe(2);
      // Every copy and the engagement agree with the invitee's deal.
      const inviting = (await getVisibleDeal(deps, w.partner, deal.id)).deal;
      expect(inviting.status).toBe('lost');
      expect(inviting.participants[w.other.orgId]?.status).toBe(final.status);
      const [engagement] = await itemsOf({ pk: `ENG#${deal.engagementId}`, sk: 'ENGAGEMENT' });
      const entries = (engagement?.participants ?? {}) as Record<string, { status: string }>;
      expect(entries[w.other.orgId]?.status).toBe(final.status);
      expect(entries[w.partner.orgId]?.status).toBe('lost');
      expect(final.participants[w.partner.orgId]?.status).toBe('lost');
      // One outcome event for the invitation (so one email per recipient), and the index forgot it.
      const events = (await itemsOf({ type: 'Outbox' })).filter(
        (item) => item.event.dealId === received.id && item.event.type !== 'invitation.created',
      );
      expect(events.map((item) => item.event.type)).toEqual([`invitation.${final.status}`]);
      expect((await itemsOf({ type: 'Deal', id: received.id })).map((item) => item.gsi4pk)).toEqual([
        undefined,
      ]);
    }
    console.info(
      'wide race outcomes',
      Object.fromEntries(
        ['accepted', 'declined', 'expired', 'withdrawn'].map((s) => [
          s,
          outcomes.filter((o) => o === s).length,
        ]),
      ),
    );
  });
});

describe('the sparse expiry index on DynamoDB Local', () => {
  it('holds only received deals, keyed by their next action, in one of the shards the job reads', async () => {
    const { deal } = await w.invited(w.partner, w.other);
    const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT });
    const shards = dealKeys.invitationActionsBefore('~');
    const items = (
      await Promise.all(
        shards.map(({ partition }) =>
          db.send(
            new QueryCommand({
              TableName: w.tableName,
              IndexName: 'gsi4',
              KeyConditionExpression: 'gsi4pk = :pk',
              ExpressionAttributeValues: { ':pk': partition },
            }),
          ),
        ),
      )
    ).flatMap((result) => result.Items ?? []);
    // Every earlier invitation of this file was answered or expired and left the index.
    expect(items.map((item) => [item.status, item.invitation.fromDealId, item.gsi4sk.slice(0, 24)])).toEqual([
      ['received', deal.id, '2026-11-12T09:00:00.000Z'],
    ]);
    expect(items[0]?.gsi4pk).toMatch(/^RECEIVED#[0-7]$/);
  });
});
