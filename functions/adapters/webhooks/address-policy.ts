/**
 * Where webhooks may be sent (docs/api.md "Webhooks"). In the cloud: `https` URLs whose host is, or
 * resolves only to, global unicast addresses, so an org cannot point deliveries at the platform's
 * own network. The rule is an allow-list over `ipaddr.js`'s range classification: only its
 * `unicast` range passes, for IPv4 and IPv6, so every special-purpose block it knows (private,
 * loopback, link-local, site-local, shared, documentation, multicast, reserved, segment routing, …)
 * is refused without this module listing them. An IPv6 address that carries an IPv4 address
 * (mapped, compatible or translated) is judged as that IPv4 address, which is where a packet to it
 * ends up. Locally (`allowLoopback`) `http` and loopback addresses are allowed too, so tests can run
 * a receiver; other non-public ranges stay refused.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressPolicy = { allowLoopback: boolean };

/** IPv6 ranges whose low 32 bits are an IPv4 address a packet is delivered to. */
const CARRIES_IPV4 = new Set(['ipv4Mapped', 'rfc6145']);
/**
 * The well-known NAT64 prefix. The local-use one (64:ff9b:1::/48) is left out: it belongs to a
 * network's own translator, which may embed the IPv4 address elsewhere, so it stays refused.
 */
const WELL_KNOWN_NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/** `::a.b.c.d` (IPv4-compatible, deprecated): zero in the high 96 bits, neither `::` nor `::1`. */
const isIpv4Compatible = (address: ipaddr.IPv6): boolean => {
  const parts = address.parts;
  return parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || (parts[7] ?? 0) > 1);
};

const embeddedIpv4 = (address: ipaddr.IPv6): ipaddr.IPv4 => {
  const bytes = address.toByteArray().slice(12);
  return new ipaddr.IPv4(bytes);
};

/** The address a packet to `address` reaches: the embedded IPv4 address when there is one. */
const effective = (address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 => {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  const carries = CARRIES_IPV4.has(v6.range()) || v6.match(WELL_KNOWN_NAT64) || isIpv4Compatible(v6);
  return carries ? embeddedIpv4(v6) : v6;
};

/** Why deliveries may not go to `address` (an IP), or undefined when they may. */
export const addressRefusal = (address: string, policy: AddressPolicy): string | undefined => {
  if (isIP(address) === 0 || !ipaddr.isValid(address)) return `${address} is not an IP address.`;
  const range = effective(ipaddr.parse(address)).range();
  if (range === 'loopback') {
    return policy.allowLoopback ? undefined : 'The URL must not point at a loopback address.';
  }
  if (range !== 'unicast') {
    return 'The URL must point at a public address (not private, link-local or reserved).';
  }
  return undefined;
};

/** The URL's host as an IP literal, without IPv6 brackets; undefined for a name. */
export const literalAddress = (url: URL): string | undefined => {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
};

/** Why `raw` may not receive deliveries before its host is resolved (scheme, form), or undefined. */
export const urlRefusal = (raw: string, policy: AddressPolicy): string | undefined => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Not an absolute URL.';
  }
  const schemes = policy.allowLoopback ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return 'The URL must use https.';
  if (url.username || url.password) return 'The URL must not carry credentials.';
  if (url.hash) return 'The URL must not have a fragment.';
  const literal = literalAddress(url);
  return literal ? addressRefusal(literal, policy) : undefined;
};
