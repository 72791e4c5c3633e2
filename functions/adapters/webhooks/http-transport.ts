/**
 * The WebhookTransport port on node's http/https: one POST, no redirect followed (node's client
 * never follows them; a 3xx is a failed attempt), at most `timeoutMs` for the whole exchange. The
 * address policy is enforced where the connection is made: the request resolves its host through
 * `checkedLookup`, which refuses any non-public address, so a name cannot pass the check and then
 * connect elsewhere (DNS rebinding).
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PostResult, WebhookTransport } from '#domain/webhooks/ports.ts';
import { type AddressPolicy, addressRefusal, literalAddress, urlRefusal } from './address-policy.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;

class RefusedAddress extends Error {}

/** Every address `hostname` resolves to, or the refusal of the first that may not be used. */
const resolveChecked = async (hostname: string, policy: AddressPolicy) => {
  const addresses = await lookup(hostname, { all: true, verbatim: true });
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw new RefusedAddress(`${hostname} resolves to ${address}: ${refusal}`);
  }
  return addresses;
};

const checkedLookup =
  (policy: AddressPolicy): LookupFunction =>
  (hostname, options, callback) => {
    resolveChecked(hostname, policy).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

export class HttpWebhookTransport implements WebhookTransport {
  constructor(
    private readonly policy: AddressPolicy,
    private readonly timeoutMs = DELIVERY_TIMEOUT_MS,
  ) {}

  async refusal(raw: string): Promise<string | undefined> {
    const early = urlRefusal(raw, this.policy);
    if (early) return early;
    const url = new URL(raw);
    if (literalAddress(url)) return undefined;
    try {
      await resolveChecked(url.hostname, this.policy);
      return undefined;
    } catch (error) {
      return error instanceof RefusedAddress ? error.message : `${url.hostname} does not resolve.`;
    }
  }

  async post(raw: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const refusal = urlRefusal(raw, this.policy);
    if (refusal) return { error: refusal };
    const url = new URL(raw);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<PostResult>((resolve) => {
      const req = send(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: checkedLookup(this.policy),
        timeout: this.timeoutMs,
      });
      const timer = setTimeout(
        () => req.destroy(new Error(`No answer within ${this.timeoutMs} ms.`)),
        this.timeoutMs,
      );
      req.on('response', (res) => {
        clearTimeout(timer);
        // The body is not read: only the status counts, and the connection is freed at once.
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      });
      req.on('timeout', () => req.destroy(new Error(`No answer within ${this.timeoutMs} ms.`)));
      req.on('error', (error) => {
        clearTimeout(timer);
        resolve({ error: error.message });
      });
      req.end(body);
    });
  }
}
