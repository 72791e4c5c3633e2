/**
 * Fan-out and delivery on in-memory ports: who hears about what, with which deal id; the retry
 * of a failed attempt; claims; giving up after the window and disabling the endpoint once.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { addComment } from '#domain/deals/use-cases/comments.ts';
import { withdrawInvitation } from '#domain/deals/use-cases/withdraw-invitation.ts';
import { inviteMember } from '#domain/identity/members.ts';
import type { DomainEvent } from '#domain/kernel/events.ts';
import type { OutgoingEmail } from '#domain/notifications/ports.ts';
import { attemptDelivery, fanOut, workDeliveries } from '#domain/webhooks/dispatch.ts';
import { createWebhook, rotateWebhookSecret, testWebhook } from '#domain/webhooks/manage.ts';
import { PREVIOUS_SECRET_HOURS } from '#domain/webhooks/model.ts';
import type { PostResult, WebhookDeliveryDeps } from '#domain/webhooks/ports.ts';
import { RETRY_WINDOW_MS } from '#domain/webhooks/retry-schedule.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';
import { MemorySecretSealer } from '#test/support/memory/secret-sealer.ts';

type Sent = { url: string; headers: Record<string, string>; body: string };

let world: DealWorld;
let sent: Sent[];
let answers: PostResult[];
let emails: OutgoingEmail[];
let sealer: MemorySecretSealer;

const transport = {
  refusal: async () => undefined,
  post: async (url: string, headers: Record<string, string>, body: string): Promise<PostResult> => {
    sent.push({ url, headers, body });
    return answers.shift() ?? { status: 200 };
  },
};
let secrets = 0;
/** Signs with the secret's own name, so a test sees which secrets signed. */
const signer = {
  newSecret: () => `whsec_${++secrets}`,
  headers: (keys: readonly string[], id: string) => ({
    'webhook-id': id,
    'webhook-signature': keys.map((key) => `v1,${key}`).join(' '),
  }),
};

const admin = () => ({ ...world.deps, transport, signer, sealer });
const delivery = (): WebhookDeliveryDeps => ({
  ...world.deps,
  transport,
  signer,
  sealer,
  mailer: {
    send: async (email) => {
      emails.push(email);
      return { outcome: 'sent' };
    },
  },
  appBaseUrl: 'https://app.example',
});
const register = async (actor: DealWorld['partner'], url: string, events: string[] = ['*']) =>
  (await createWebhook(admin(), actor, { url, events: events as never })).webhook;
const outbox = () => [...world.deps.deals.outbox] as DomainEvent[];
const fanOutAll = async () => {
  for (const event of outbox()) await fanOut(world.deps, event);
};
const payloads = (url: string) => sent.filter((s) => s.url === url).map((s) => JSON.parse(s.body));
const once = { windowMs: 0, pollMs: 0, concurrency: 4, batchSize: 100 };
const timer = { now: () => 0, sleep: async () => undefined };

beforeEach(async () => {
  world = await dealWorld();
  sent = [];
  answers = [];
  emails = [];
  sealer = new MemorySecretSealer();
});

describe('webhook fan-out', () => {
  it('never tells an org’s endpoints whom it invites to join it', async () => {
    await register(world.partner, 'https://partner.example/hook');
    await inviteMember(world.deps, world.partner, {
      email: 'new.hire@example.com',
      name: 'New Hire',
      roles: ['referral-user'],
      locations: ['DE'],
    });
    const [invited] = world.deps.memberships.outbox;
    expect(invited?.type).toBe('member.invited');
    expect(await fanOut(world.deps, invited!)).toBe(0);
    await workDeliveries(delivery(), once, timer);
    expect(sent).toEqual([]);
  });

  it('sends an endpoint nothing that happened before it existed, even when the stream is read again', async () => {
    const { deal } = await world.invited(world.partner, world.other);
    world.setNow(new Date(world.deps.clock.now().getTime() + 60_000).toISOString());
    await register(world.partner, 'https://partner.example/hook');
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);
    expect(payloads('https://partner.example/hook')).toEqual([]);

    await withdrawInvitation(world.deps, world.partner, { dealId: deal.id, orgId: world.other.orgId });
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);
    expect(payloads('https://partner.example/hook').map((p) => p.type)).toEqual(['invitation.withdrawn']);
  });

  it('tells both sides of a withdrawal, each about its own deal', async () => {
    await register(world.partner, 'https://partner.example/hook', ['invitation.withdrawn']);
    await register(world.other, 'https://other.example/hook', ['invitation.withdrawn']);
    const { deal, received } = await world.invited(world.partner, world.other);
    await withdrawInvitation(world.deps, world.partner, { dealId: deal.id, orgId: world.other.orgId });
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);

    expect(payloads('https://partner.example/hook').map((p) => [p.type, p.data.dealId])).toEqual([
      ['invitation.withdrawn', deal.id],
    ]);
    expect(payloads('https://other.example/hook').map((p) => [p.type, p.data.dealId, p.data.status])).toEqual(
      [['invitation.withdrawn', received.id, 'withdrawn']],
    );
  });

  it('tells every org taking part of an engagement comment about its own deal, and nobody of an org comment', async () => {
    await register(world.partner, 'https://partner.example/hook', ['comment.created']);
    await register(world.other, 'https://other.example/hook', ['comment.created']);
    const { deal, received } = await world.invited(world.partner, world.other);
    await acceptInvitation(world.deps, world.other, { dealId: received.id });
    await addComment(world.deps, world.other, {
      dealId: received.id,
      text: 'hello',
      visibility: 'engagement',
    });
    await addComment(world.deps, world.other, { dealId: received.id, text: 'internal', visibility: 'org' });
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);

    expect(payloads('https://partner.example/hook').map((p) => [p.type, p.data.dealId])).toEqual([
      ['comment.created', deal.id],
    ]);
    expect(payloads('https://other.example/hook').map((p) => [p.type, p.data.dealId])).toEqual([
      ['comment.created', received.id],
    ]);
  });

  it('tells the inviter deal.created and the invitee invitation.received, each with its own deal id', async () => {
    await register(world.partner, 'https://partner.example/hook');
    await register(world.other, 'https://other.example/hook');
    const { deal, received } = await world.invited(world.partner, world.other);
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);

    expect(payloads('https://partner.example/hook').map((p) => [p.type, p.data.dealId])).toEqual([
      ['deal.created', deal.id],
    ]);
    expect(payloads('https://other.example/hook').map((p) => [p.type, p.data.dealId])).toEqual([
      ['invitation.received', received.id],
    ]);
    expect(payloads('https://other.example/hook')[0].data).toMatchObject({
      orgId: world.other.orgId,
      status: 'received',
      engagementId: deal.engagementId,
    });
  });

  it('sends only the types an endpoint subscribed to, and nothing twice for a replayed event', async () => {
    await register(world.partner, 'https://partner.example/closed', ['deal.closed']);
    await world.create(world.partner);
    await fanOutAll();
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);
    expect(sent).toEqual([]);
    await register(world.partner, 'https://partner.example/all');
    await fanOutAll();
    await fanOutAll();
    await workDeliveries(delivery(), once, timer);
    expect(payloads('https://partner.example/all').map((p) => p.type)).toEqual(['deal.created']);
  });
});

describe('webhook delivery', () => {
  it('never lets a slow endpoint delay another org: an overlapping run delivers while it hangs', async () => {
    await register(world.partner, 'https://slow.example/hook', ['invitation.received']);
    await register(world.other, 'https://fast.example/hook', ['invitation.received']);
    let answerSlow: (result: PostResult) => void = () => undefined;
    const slowTransport = {
      ...transport,
      post: (url: string, headers: Record<string, string>, body: string): Promise<PostResult> => {
        sent.push({ url, headers, body });
        return url.startsWith('https://slow.')
          ? new Promise((resolve) => {
              answerSlow = resolve;
            })
          : Promise.resolve({ status: 200 });
      },
    };
    const deps = { ...delivery(), transport: slowTransport };
    const inFlight = new Map<string, Promise<void>>();

    // The partner's endpoint hears of an invitation from the other org and hangs.
    await world.invited(world.other, world.partner);
    await fanOutAll();
    const slowRun = workDeliveries(deps, once, timer, inFlight);
    await vi.waitFor(() => expect(payloads('https://slow.example/hook')).toHaveLength(1));

    // Meanwhile the other org is invited twice: the next run delivers to it at once and skips the
    // endpoint in flight.
    await world.invited(world.partner, world.other);
    await world.invited(world.partner, world.other);
    await fanOutAll();
    const fastRun = await workDeliveries(deps, once, timer, inFlight);
    expect(fastRun.succeeded).toBe(2);
    expect(payloads('https://fast.example/hook')).toHaveLength(2);
    expect(payloads('https://slow.example/hook')).toHaveLength(1);

    answerSlow({ status: 200 });
    expect((await slowRun).succeeded).toBe(1);
  });

  it('signs with the new and the replaced secret for 24 hours after a rotation, then with the new one alone', async () => {
    const { webhook, secret } = await createWebhook(admin(), world.partner, {
      url: 'https://partner.example/hook',
      events: ['*'],
    });
    const rotated = await rotateWebhookSecret(admin(), world.partner, webhook.id);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.webhook.previousSecret).toEqual({
      secret: webhook.secret,
      until: new Date(world.deps.clock.now().getTime() + PREVIOUS_SECRET_HOURS * 3_600_000).toISOString(),
    });
    const signatures = async () => {
      sent.length = 0;
      await testWebhook(admin(), world.partner, webhook.id);
      await workDeliveries(delivery(), once, timer);
      return sent.map((s) => s.headers['webhook-signature']);
    };
    expect(await signatures()).toEqual([`v1,${rotated.secret} v1,${secret}`]);
    world.setNow(rotated.webhook.previousSecret!.until);
    expect(await signatures()).toEqual([`v1,${rotated.secret}`]);
  });

  it('lets only an org-admin of the endpoint’s own org rotate its secret', async () => {
    const webhook = await register(world.partner, 'https://partner.example/hook');
    await expect(rotateWebhookSecret(admin(), world.host, webhook.id)).rejects.toMatchObject({
      kind: 'not-found',
    });
    const stored = await world.deps.webhooks.get(world.partner.orgId, webhook.id);
    expect(stored?.secret).toEqual(webhook.secret);
  });
  it('retries a failure with the same webhook-id and body once due, and records each attempt', async () => {
    await register(world.partner, 'https://partner.example/hook');
    await world.create(world.partner);
    await fanOutAll();
    answers = [{ status: 500 }];
    await workDeliveries(delivery(), once, timer);
    const [pending] = [...world.deps.webhooks.deliveries.values()];
    expect(pending).toMatchObject({ status: 'pending', attempt: 1, responseStatus: 500 });

    await workDeliveries(delivery(), once, timer);
    expect(sent).toHaveLength(1);

    world.setNow(new Date(Date.parse(pending!.dueAt!)).toISOString());
    await workDeliveries(delivery(), once, timer);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.headers['webhook-id']).toBe(sent[0]!.headers['webhook-id']);
    expect(sent[1]!.body).toBe(sent[0]!.body);
    const [done] = [...world.deps.webhooks.deliveries.values()];
    expect(done).toMatchObject({ status: 'succeeded', attempt: 2, responseStatus: 200 });
    expect(done!.dueAt).toBeUndefined();
  });

  it('lets only one of two workers attempt a delivery', async () => {
    await register(world.partner, 'https://partner.example/hook');
    await world.create(world.partner);
    await fanOutAll();
    const [due] = await world.deps.webhooks.dueDeliveries(world.deps.clock.now().toISOString(), 10);
    const outcomes = await Promise.all([
      attemptDelivery(delivery(), due!),
      attemptDelivery(delivery(), due!),
    ]);
    expect(outcomes.sort()).toEqual(['skipped', 'succeeded']);
    expect(sent).toHaveLength(1);
  });

  it('gives up after 24 hours of failures, disables the endpoint and emails the org admins once', async () => {
    const hook = await register(world.partner, 'https://partner.example/hook');
    await world.create(world.partner);
    await fanOutAll();
    const start = Date.parse(world.deps.clock.now().toISOString());
    for (let i = 0; i < 40; i++) {
      answers = [{ error: 'connection refused' }];
      await workDeliveries(delivery(), once, timer);
      const [current] = [...world.deps.webhooks.deliveries.values()];
      if (current!.status !== 'pending') break;
      world.setNow(current!.dueAt!);
    }
    const [given] = [...world.deps.webhooks.deliveries.values()];
    expect(given).toMatchObject({ status: 'failed', error: 'connection refused' });
    expect(Date.parse(given!.at) - start).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    expect(world.deps.webhooks.webhooks.get(hook.id)).toMatchObject({ status: 'disabled' });
    expect(emails.map((email) => email.to)).toEqual([world.partner.email]);
    expect(emails[0]!.text).toContain(hook.id);

    // A disabled endpoint gets nothing more: new events queue nothing.
    await world.create(world.partner);
    await fanOutAll();
    expect(await world.deps.webhooks.dueDeliveries('9999', 10)).toEqual([]);
  });
});
