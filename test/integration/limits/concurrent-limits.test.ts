/**
 * Per-org limits under concurrency on DynamoDB Local, through the handlers: requests fired at once
 * leave exactly the limit stored, and every other request gets a 4xx problem that says why; the
 * invitation limit answers 429 with Retry-After and its record expires a day after its last invitation.
 */

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '#domain/kernel/limits.ts';
import { MAX_WEBHOOKS_PER_ORG } from '#domain/webhooks/model.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { engagementKeys } from '#functions/adapters/dynamo/keys.ts';
import { getDeps, overrideDeps } from '#functions/composition/deps.ts';
import { overrideWebhookPorts } from '#functions/composition/webhooks.ts';
import { handler as requestUpload } from '#functions/http/attachments/request-upload.ts';
import { handler as createDeal } from '#functions/http/deals/create.ts';
import { handler as invite } from '#functions/http/deals/invite.ts';
import { handler as withdraw } from '#functions/http/deals/withdraw-invitation.ts';
import { handler as createWebhook } from '#functions/http/webhooks/create.ts';
import { handler as deleteWebhook } from '#functions/http/webhooks/delete.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';

let w: World & { tableName: string };
beforeAll(async () => {
  w = await apiWorld();
  // No bucket or receiver is needed: the limits are about the records.
  overrideDeps({
    files: {
      uploadUrl: async () => 'https://bucket.example/upload',
      downloadUrl: async () => 'https://bucket.example/download',
      inspect: async () => ({ exists: false }),
      freeze: async () => {
        throw new Error('no registration here');
      },
    },
  });
  overrideWebhookPorts({
    transport: { refusal: async () => undefined, post: async () => ({ status: 204 }) },
  });
});

const statuses = (responses: { status: number }[]) =>
  responses.reduce<Record<number, number>>((count, { status }) => {
    count[status] = (count[status] ?? 0) + 1;
    return count;
  }, {});

describe('limits under concurrent requests (DynamoDB Local)', () => {
  it(`20 simultaneous webhook creations store exactly ${MAX_WEBHOOKS_PER_ORG}; the rest are 400s that say why`, {
    timeout: 120_000,
  }, async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        invoke(createWebhook, {
          route: 'POST /v1/webhooks',
          sub: w.partner.sub,
          body: { url: `https://hooks.example.com/${i}`, events: ['*'] },
        }),
      ),
    );
    expect(statuses(responses)).toEqual({ 201: MAX_WEBHOOKS_PER_ORG, 400: 20 - MAX_WEBHOOKS_PER_ORG });
    for (const refused of responses.filter((response) => response.status === 400)) {
      expect(refused.body.errors).toEqual([
        {
          path: 'url',
          message: `An organization can have at most ${MAX_WEBHOOKS_PER_ORG} webhooks; delete one before adding another.`,
        },
      ]);
    }
    expect(await getDeps().webhooks.list(w.partner.orgId)).toHaveLength(MAX_WEBHOOKS_PER_ORG);

    // A delete frees exactly one place, also when two creates race for it.
    const [first] = responses.filter((response) => response.status === 201);
    const deleted = await invoke(deleteWebhook, {
      route: 'DELETE /v1/webhooks/{id}',
      params: { id: first?.body.id },
      sub: w.partner.sub,
    });
    expect(deleted.status).toBe(204);
    const again = await Promise.all(
      [1, 2].map((i) =>
        invoke(createWebhook, {
          route: 'POST /v1/webhooks',
          sub: w.partner.sub,
          body: { url: `https://hooks.example.com/again-${i}`, events: ['*'] },
        }),
      ),
    );
    expect(statuses(again)).toEqual({ 201: 1, 400: 1 });
  });

  it(`60 simultaneous upload requests on one deal store exactly ${LIMITS.attachmentsPerDeal}; the rest are 422s`, {
    timeout: 180_000,
  }, async () => {
    const deal = await invoke(createDeal, { route: 'POST /v1/deals', sub: w.partner.sub, body: w.input() });
    expect(deal.status).toBe(201);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        invoke(requestUpload, {
          route: 'POST /v1/deals/{id}/attachments',
          params: { id: deal.body.id },
          sub: w.partner.sub,
          body: { fileName: `contract-${i}.pdf`, contentType: 'application/pdf', size: 1024 },
        }),
      ),
    );
    expect(statuses(responses)).toEqual({
      201: LIMITS.attachmentsPerDeal,
      422: 60 - LIMITS.attachmentsPerDeal,
    });
    for (const refused of responses.filter((response) => response.status === 422)) {
      expect(refused.body).toMatchObject({
        code: 'too-many-attachments',
        detail: `A deal holds at most ${LIMITS.attachmentsPerDeal} attachments.`,
      });
    }
    expect(await getDeps().attachments.listByDeal(deal.body.id)).toHaveLength(LIMITS.attachmentsPerDeal);
  });

  it('invitations of one org to one engagement: 3 in 24 hours, then 429 with Retry-After', {
    timeout: 120_000,
  }, async () => {
    const deal = await invoke(createDeal, { route: 'POST /v1/deals', sub: w.partner.sub, body: w.input() });
    const id = deal.body.id;
    const inviteOther = () =>
      invoke(invite, {
        route: 'POST /v1/deals/{id}/invitations',
        params: { id },
        sub: w.partner.sub,
        body: { partners: [{ orgId: w.other.orgId, helpType: 'general' }] },
      });
    for (let round = 0; round < 3; round++) {
      expect((await inviteOther()).status).toBe(200);
      const withdrawn = await invoke(withdraw, {
        route: 'DELETE /v1/deals/{id}/invitations/{orgId}',
        params: { id, orgId: w.other.orgId },
        sub: w.partner.sub,
      });
      expect(withdrawn.status).toBe(200);
    }
    // Two more at once: neither passes the limit.
    const refused = await Promise.all([inviteOther(), inviteOther()]);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({ code: 'invitation-limit' });
      expect(response.body.detail).toMatch(/invited to this engagement 3 times in the last 24 hours/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    }

    // The record expires (TTL) a day after the latest invitation it counts.
    const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT ?? '' });
    const { Item } = await db.send(
      new GetCommand({
        TableName: w.tableName,
        Key: engagementKeys.invitationRate(deal.body.engagementId, w.other.orgId),
        ConsistentRead: true,
      }),
    );
    expect(Item?.invitedAt).toHaveLength(3);
    expect(Item?.ttl).toBe(Math.floor(Date.parse(Item?.invitedAt[2]) / 1000) + 24 * 3600);
  });
});
