/**
 * Each org's shared team on DynamoDB Local: one item of its own, beside the engagement, that no deal
 * and not the engagement copies; and a deal the previous release wrote, with the teams copied onto
 * its participant entries, still reads them until each org writes its own.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { dealKeys, engagementKeys } from '#functions/adapters/dynamo/keys.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { seedWorld, settableClock, type World } from '#test/support/deal-world.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let w: World;

beforeAll(async () => {
  table = await createTestTable();
  const clock = settableClock();
  w = await seedWorld({ ...dynamoDeps(table), clock }, clock.set);
});

const ADA_TEAM = [{ name: 'Ada Lovelace', email: 'ada@adatum.example', phone: '+49 1' }];
const raw = async (key: Record<string, string>) =>
  (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
const teamSeen = async (actor: Actor, dealId: string, orgId: string) =>
  (await getVisibleDeal(w.deps, actor, dealId)).participants.find((entry) => entry.orgId === orgId)?.team;

describe('shared teams on DynamoDB Local', () => {
  it('keeps an accepting org’s team in one item that the other deal reads, and on no copy', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: ADA_TEAM });

    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual(ADA_TEAM);
    expect(await raw(engagementKeys.sharedTeam(deal.engagementId, w.other.orgId))).toMatchObject({
      type: 'SharedTeam',
      orgId: w.other.orgId,
      team: ADA_TEAM,
    });
    const stored = [await raw(dealKeys.item(deal.id)), await raw(dealKeys.item(received.id))];
    stored.push(await raw(engagementKeys.item(deal.engagementId)));
    for (const item of stored) {
      for (const entry of Object.values(item?.participants ?? {})) expect(entry).not.toHaveProperty('team');
    }
  });

  it('reads the team a previous release copied onto the deal, until the org writes its own item', async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    await acceptInvitation(w.deps, w.other, { dealId: received.id, team: ADA_TEAM });
    // As the previous release left an engagement: each org's team on every deal's entry, no item.
    const legacy = [{ name: 'Copied Before', email: 'copied@adatum.example', phone: '+49 9' }];
    await table.db.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: engagementKeys.sharedTeam(deal.engagementId, w.other.orgId),
      }),
    );
    for (const id of [deal.id, received.id]) {
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: dealKeys.item(id),
          UpdateExpression: 'SET participants.#org.team = :team',
          ExpressionAttributeNames: { '#org': w.other.orgId },
          ExpressionAttributeValues: { ':team': legacy },
        }),
      );
    }
    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual(legacy);

    // The org's next team change writes its item and rewrites its entry on every copy without the team.
    const renewed = [...ADA_TEAM, { name: 'Bo', email: 'bo@adatum.example', phone: '+49 3' }];
    await updateDeal(w.deps, w.other, { dealId: received.id, team: renewed });
    expect(await teamSeen(w.partner, deal.id, w.other.orgId)).toEqual(renewed);
    expect((await raw(dealKeys.item(deal.id)))?.participants[w.other.orgId]).not.toHaveProperty('team');
  });
});
