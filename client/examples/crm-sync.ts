/**
 * An example CRM connector on the typed client: a full first sync of both tabs, then delta syncs
 * from a stored watermark (`updatedSince`), and a webhook receiver that verifies each delivery's
 * Standard Webhooks signature before it trusts the payload. A delivery only says "something changed":
 * the receiver answers at once and the connector catches up with a delta sync, so a lost, repeated
 * or reordered delivery never leaves the CRM wrong.
 *
 * The connector signs in as an API client of its org (an org-admin makes one with `POST
 * /v1/org/api-clients`, scopes `deals:read` and `webhooks`): the client-credentials grant at the
 * client's `tokenUrl`, renewed before it expires. With `WEBHOOK_URL` it registers its own receiver
 * (`POST /v1/webhooks`) and keeps the signing secret it is shown once.
 *
 * Run against a local runtime (`npm start`):
 *
 *   COSELL_API=http://localhost:3000 COSELL_TOKEN_URL=http://localhost:3000/dev/oauth2/token \
 *   COSELL_CLIENT_ID=... COSELL_CLIENT_SECRET=... [WEBHOOK_URL=http://127.0.0.1:4000/ WEBHOOK_PORT=4000] \
 *     npx tsx client/examples/crm-sync.ts
 */
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  type CoSellClient,
  clientCredentials,
  createCoSellClient,
  type paths,
  type Schemas,
} from '../index.ts';

export type Deal = Schemas['DealResponse'];

/** What the connector keeps between runs: the CRM's copy of each deal and the sync watermark. */
export interface SyncStore {
  watermark(): Promise<string | undefined>;
  setWatermark(instant: string): Promise<void>;
  /** Applies a deal unless the copy held is already at this version or newer. */
  upsert(deal: Deal): Promise<void>;
}

/** An in-memory store: what a connector writes to its CRM and its own settings table instead. */
export class MemorySyncStore implements SyncStore {
  readonly deals = new Map<string, Deal>();
  private mark: string | undefined;

  async watermark() {
    return this.mark;
  }

  async setWatermark(instant: string) {
    this.mark = instant;
  }

  async upsert(deal: Deal) {
    const held = this.deals.get(deal.id);
    if (!held || held.version < deal.version) this.deals.set(deal.id, deal);
  }
}

const PAGE_SIZE = 100;

type DealsQuery = NonNullable<paths['/v1/deals']['get']['parameters']['query']>;

/** Every page of one list query, in the API's order. */
async function* pages(api: CoSellClient, query: Omit<DealsQuery, 'limit' | 'cursor'>) {
  let cursor: string | undefined;
  do {
    const { data, error, response } = await api.GET('/v1/deals', {
      params: { query: { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    });
    if (error || !data) throw new Error(`GET /v1/deals failed: ${response.status} ${JSON.stringify(error)}`);
    yield { items: data.items, date: response.headers.get('date') };
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * The first sync: every page of the outbound and the inbound tab. The watermark becomes the API's
 * own clock (the `Date` of the first answer, rounded down to the second) from before the first page,
 * so the next delta sync re-reads anything that changed while these pages were read.
 */
export const fullSync = async (api: CoSellClient, store: SyncStore): Promise<number> => {
  let startedAt: string | undefined;
  let count = 0;
  for (const view of ['outbound', 'inbound'] as const)
    for await (const page of pages(api, { view })) {
      if (startedAt === undefined && page.date) startedAt = new Date(page.date).toISOString();
      for (const deal of page.items) await store.upsert(deal);
      count += page.items.length;
    }
  await store.setWatermark(startedAt ?? new Date(0).toISOString());
  return count;
};

/**
 * A delta sync: every deal of the org (both directions) changed at or after the watermark, oldest
 * change first. The watermark moves to the last `updatedAt` applied after each page, so a connector
 * that stops half-way resumes there; a deal changed again comes again, and `upsert` keeps the newest.
 */
export const deltaSync = async (api: CoSellClient, store: SyncStore): Promise<Deal[]> => {
  const since = (await store.watermark()) ?? new Date(0).toISOString();
  const changes: Deal[] = [];
  for await (const page of pages(api, { updatedSince: since })) {
    for (const deal of page.items) await store.upsert(deal);
    changes.push(...page.items);
    const last = page.items.at(-1);
    if (last) await store.setWatermark(last.updatedAt);
  }
  return changes;
};

/** A webhook delivery's body (docs/api.md "Webhooks"). */
export type WebhookEvent = {
  type: string;
  timestamp: string;
  data: Record<string, unknown> & { dealId?: string };
};

/**
 * The verified event of one delivery, or a thrown `WebhookVerificationError`: the signature over
 * `{webhook-id}.{webhook-timestamp}.{body}` must match the secret (`whsec_…`), and the timestamp must
 * be within five minutes, which stops replays. Verify the raw body exactly as received.
 */
export const verifyDelivery = (
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): WebhookEvent => {
  const single = Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]],
    ),
  );
  return new Webhook(secret).verify(body, single) as WebhookEvent;
};

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * The receiver: 204 for a verified delivery (after handing it to `onEvent`), 401 for a bad
 * signature. `webhook-id` is the same on every retry of one event, so `onEvent` may see an event
 * twice; answering fast and syncing afterwards keeps the sender from timing out.
 */
export const webhookReceiver =
  (secret: string, onEvent: (event: WebhookEvent, id: string) => void): RequestListener =>
  (request, response) => {
    void readBody(request).then((body) => {
      try {
        const event = verifyDelivery(secret, request.headers, body);
        onEvent(event, String(request.headers['webhook-id']));
        response.writeHead(204).end();
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        response.writeHead(401, { 'content-type': 'text/plain' }).end('invalid signature');
      }
    });
  };

/**
 * Registers the connector's receiver for every deal event and returns the signing secret, which
 * the API shows only in this answer: keep it with the connector's settings.
 */
export const registerReceiver = async (api: CoSellClient, url: string): Promise<string> => {
  const { data, error, response } = await api.POST('/v1/webhooks', {
    body: { url, events: ['*'], description: 'CRM connector' },
  });
  if (error || !data)
    throw new Error(`POST /v1/webhooks failed: ${response.status} ${JSON.stringify(error)}`);
  // Only a replayed answer lacks it, and this request sends no Idempotency-Key.
  if (!data.secret) throw new Error('POST /v1/webhooks answered without the signing secret');
  return data.secret;
};

/** The connector as a process: sync once, then (with a receiver) sync again on every delivery. */
const main = async () => {
  const { COSELL_API, COSELL_TOKEN_URL, COSELL_CLIENT_ID, COSELL_CLIENT_SECRET, WEBHOOK_URL, WEBHOOK_PORT } =
    process.env;
  if (!COSELL_API || !COSELL_TOKEN_URL || !COSELL_CLIENT_ID || !COSELL_CLIENT_SECRET)
    throw new Error('Set COSELL_API, COSELL_TOKEN_URL, COSELL_CLIENT_ID and COSELL_CLIENT_SECRET.');
  const token = clientCredentials({
    tokenUrl: COSELL_TOKEN_URL,
    clientId: COSELL_CLIENT_ID,
    clientSecret: COSELL_CLIENT_SECRET,
  });
  const api = createCoSellClient({ baseUrl: COSELL_API, token });
  const store = new MemorySyncStore();
  console.log(`full sync: ${await fullSync(api, store)} deals, watermark ${await store.watermark()}`);
  if (!WEBHOOK_URL) return;
  const secret = await registerReceiver(api, WEBHOOK_URL);
  let syncing = Promise.resolve();
  const server = createServer(
    webhookReceiver(secret, (event) => {
      console.log(`webhook ${event.type} for deal ${event.data.dealId ?? '-'}`);
      syncing = syncing
        .then(() => deltaSync(api, store))
        .then((changes) => console.log(`delta sync: ${changes.length} changes`));
    }),
  );
  server.listen(Number(WEBHOOK_PORT ?? 4000), () => console.log(`receiver on :${WEBHOOK_PORT ?? 4000}`));
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
