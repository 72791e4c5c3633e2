/**
 * Where webhooks may be sent (docs/api.md "Webhooks"). In the cloud: `https` URLs whose host is, or
 * resolves only to, public addresses; private, loopback, link-local, shared, documentation,
 * multicast and reserved ranges are refused, so an org cannot point deliveries at the platform's own
 * network. Locally (`allowLoopback`) `http` and loopback addresses are allowed too, so tests can run
 * a receiver; other private ranges stay refused.
 */
import { BlockList, isIP } from 'node:net';

export type AddressPolicy = { allowLoopback: boolean };

const NON_PUBLIC: [network: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const LOOPBACK: [string, number, 'ipv4' | 'ipv6'][] = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];

const blockList = (ranges: typeof NON_PUBLIC): BlockList => {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return list;
};

const nonPublic = blockList(NON_PUBLIC);
const loopback = blockList(LOOPBACK);

/** Why deliveries may not go to `address` (an IP), or undefined when they may. */
export const addressRefusal = (address: string, policy: AddressPolicy): string | undefined => {
  const version = isIP(address);
  if (version === 0) return `${address} is not an IP address.`;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(address, family)) {
    return policy.allowLoopback ? undefined : 'The URL must not point at a loopback address.';
  }
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is checked as the IPv4 address it names.
  if (nonPublic.check(address, family)) {
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
