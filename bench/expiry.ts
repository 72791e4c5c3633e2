/**
 * Benchmark 4: the expiry job (`expireInvitations`, the use case the scheduled function runs) on
 * DynamoDB Local, with due invitations among many that are not due. Items are seeded directly with
 * BatchWriteItem, cloned from one invitation made through the API (so they are real deals with
 * real engagements), into a table of their own on a DynamoDB Local of its own: DynamoDB Local slows
 * down as its in-memory database and stream records grow, so the earlier benchmarks' data would
 * otherwise skew the job's timings.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Deal, Engagement } from '#domain/deals/model.ts';
import { dealState } from '#domain/deals/rules/plan.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { dealItem, engagementItem } from '#functions/adapters/dynamo/deal-store.ts';
import { fromItem } from '#functions/adapters/dynamo/items.ts';
import { dealKeys, engagementKeys } from '#functions/adapters/dynamo/keys.ts';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { takeDynamoStats } from '#functions/observability.ts';
import { DEMO } from '#infra/local/demo-data.ts';
import { startDynamoLocal } from '#infra/local/dynamodb-local.ts';
import { freePort } from '#infra/local/ports.ts';
import { ensureTable } from '#infra/local/table-schema.ts';
import { type Demo, dealBody } from './endpoints.ts';
import { type BenchRuntime, expectStatus } from './lib/local.ts';
import { rawDocumentClient } from './lib/replay.ts';
import { progress } from './lib/stats.ts';

export type ExpiryResult = {
  due: number;
  notDue: number;
  expired: number;
  read: number;
  queries: number;
  calls: number;
  seconds: number;
};

const DAY = 24 * 3600_000;
const TABLE = 'co-sell-bench-expiry';

type Template = { inbound: Deal; inviter: Deal; engagement: Engagement };

const cloneWithNewIds = <T>(value: T, ids: Record<string, string>): T => {
  let json = JSON.stringify(value);
  for (const [from, to] of Object.entries(ids)) json = json.replaceAll(from, to);
  return JSON.parse(json) as T;
};

export const benchExpiry = async (
  bench: BenchRuntime,
  demo: Demo,
  options: { notDue: number; dueCounts: number[] },
): Promise<ExpiryResult[]> => {
  const raw = rawDocumentClient(bench.runtime.dynamoEndpoint);
  // One real invitation through the API: the template of every seeded one.
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const adatum = await bench.as(DEMO.adatum.admin.sub);
  const created = expectStatus(
    await fabrikam(
      'POST',
      '/v1/deals',
      dealBody(demo, { partners: [{ orgId: demo.adatumOrgId, helpType: 'general' }] }),
    ),
    201,
    'create with invitation',
  ).body as { id: string; orgId: string; engagementId: string };
  const inboundPage = (await adatum('GET', '/v1/deals?view=inbound&limit=100')).body as {
    items: { id: string; engagementId: string }[];
  };
  const inboundId = inboundPage.items.find((item) => item.engagementId === created.engagementId)!.id;
  const read = async <T>(key: Record<string, string>) =>
    fromItem<T>((await raw.send(new GetCommand({ TableName: bench.runtime.tableName, Key: key }))).Item!);
  const template: Template = {
    inbound: await read<Deal>(dealKeys.item(inboundId)),
    inviter: await read<Deal>(dealKeys.item(created.id)),
    engagement: await read<Engagement>(engagementKeys.item(created.engagementId)),
  };

  const dynamo = await startDynamoLocal({ port: await freePort() });
  const target = rawDocumentClient(dynamo.endpoint);
  await ensureTable(dynamo.client, TABLE);
  const now = Date.parse('2031-01-15T12:00:00.000Z');

  const write = async (items: Record<string, unknown>[]) => {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        let pending: Record<string, unknown> | undefined = {
          [TABLE]: batches[next++]!.map((Item) => ({ PutRequest: { Item } })),
        };
        while (pending && Object.keys(pending).length > 0) {
          const result: BatchWriteCommandOutput = await target.send(
            new BatchWriteCommand({ RequestItems: pending as never }),
          );
          pending = result.UnprocessedItems;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };

  /**
   * A not-due invitation as the job's index sees it: the item key, its entry in the sparse
   * next-action index, and what identifies it. The job never reads or writes it, so the other
   * indexes' entries would only make seeding 100k items several times slower on DynamoDB Local.
   */
  const indexEntryOnly = (item: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(item).filter(([name]) =>
        ['pk', 'sk', 'gsi4pk', 'gsi4sk', 'type', 'version', 'id', 'orgId', 'status', 'invitation'].includes(
          name,
        ),
      ),
    );

  /** `count` invitations (invitee deal, inviter deal, engagement); due ones expired a day ago. */
  const seed = async (count: number, due: boolean) => {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const ids = {
        [template.inbound.id]: ulid(),
        [template.inviter.id]: ulid(),
        [template.engagement.id]: ulid(),
      };
      const invitedAt = new Date(now - (due ? 15 : 2) * DAY - i).toISOString();
      const expiresAt = new Date(Date.parse(invitedAt) + 14 * DAY).toISOString();
      const inbound = cloneWithNewIds(template.inbound, ids);
      inbound.invitation = { ...inbound.invitation!, invitedAt, expiresAt };
      delete inbound.invitation.remindedAt;
      if (due) items.push(dealItem(dealState(inbound)));
      else items.push(indexEntryOnly(dealItem(dealState(inbound))));
      // Not-due invitations are never touched by the job: only the index entry matters for them.
      if (due)
        items.push(
          dealItem(dealState(cloneWithNewIds(template.inviter, ids))),
          engagementItem(cloneWithNewIds(template.engagement, ids)),
        );
    }
    const started = performance.now();
    await write(items);
    progress(
      `seeded ${count} ${due ? 'due' : 'not-due'} invitations (${items.length} items) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };

  // The composition root on the benchmark table, with the clock at `now`.
  const previous = { table: process.env.TABLE_NAME, endpoint: process.env.DYNAMODB_ENDPOINT };
  process.env.TABLE_NAME = TABLE;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  resetConfig();
  resetDeps();
  overrideDeps({ clock: { now: () => new Date(now) } });

  const results: ExpiryResult[] = [];
  const runJob = async (due: number, notDue: number) => {
    await seed(due, true);
    takeDynamoStats();
    const started = performance.now();
    const run = await expireInvitations(getDeps());
    const seconds = (performance.now() - started) / 1000;
    const stats = takeDynamoStats();
    const result: ExpiryResult = {
      due,
      notDue,
      expired: run.expired,
      read: run.read,
      queries: stats.calls.filter((call) => call === 'QueryCommand').length,
      calls: stats.calls.length,
      seconds,
    };
    results.push(result);
    progress(
      `expiry: ${due} due among ${notDue} not due → expired ${run.expired}, read ${run.read}, ${result.queries} queries, ${seconds.toFixed(2)} s`,
    );
  };

  try {
    const [first = 1000, ...rest] = options.dueCounts;
    await runJob(first, 0);
    await seed(options.notDue, false);
    await runJob(first, options.notDue);
    for (const due of rest) await runJob(due, options.notDue);
  } finally {
    for (const [name, value] of [
      ['TABLE_NAME', previous.table],
      ['DYNAMODB_ENDPOINT', previous.endpoint],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
    resetDeps();
    target.destroy();
    raw.destroy();
    await dynamo.stop();
  }
  return results;
};
