import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyDelivery, type WebhookEvent, webhookReceiver } from '../../../client/examples/crm-sync.ts';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({
  type: 'deal.created',
  timestamp: '2027-01-01T00:00:00.000Z',
  data: { dealId: 'D1', engagementId: 'E1', orgId: 'O1', status: 'accepted', version: 1 },
});

/** The headers a Standard Webhooks sender puts on a delivery, signed by the maintained package. */
const signed = (payload: string, at = new Date(), key = secret) => {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(key).sign(id, at, payload),
  };
};

describe('the example connector verifies webhook deliveries', () => {
  it('accepts a delivery signed with the secret and returns its event', () => {
    expect(verifyDelivery(secret, signed(body), body)).toEqual(JSON.parse(body));
  });

  it('refuses a changed body, another secret, a missing header and a replay older than five minutes', () => {
    const headers = signed(body);
    expect(() => verifyDelivery(secret, headers, body.replace('D1', 'D2'))).toThrow(WebhookVerificationError);
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => verifyDelivery(secret, signed(body, new Date(), other), body)).toThrow(
      WebhookVerificationError,
    );
    const { 'webhook-signature': _dropped, ...unsigned } = headers;
    expect(() => verifyDelivery(secret, unsigned, body)).toThrow(WebhookVerificationError);
    const old = new Date(Date.now() - 10 * 60_000);
    expect(() => verifyDelivery(secret, signed(body, old), body)).toThrow(WebhookVerificationError);
  });

  describe('its receiver', () => {
    const received: [WebhookEvent, string][] = [];
    const server = createServer(webhookReceiver(secret, (event, id) => received.push([event, id])));
    const listening = new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      ),
    );
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('answers 204 and hands on a verified delivery, 401 and nothing for a forged one', async () => {
      const url = await listening;
      const headers = signed(body);
      const ok = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });
      expect(ok.status).toBe(204);
      expect(received).toEqual([[JSON.parse(body), headers['webhook-id']]]);

      const forged = await fetch(url, { method: 'POST', headers, body: body.replace('D1', 'D9') });
      expect(forged.status).toBe(401);
      expect(received).toHaveLength(1);
    });
  });
});
