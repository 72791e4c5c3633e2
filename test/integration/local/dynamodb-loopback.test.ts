/**
 * DynamoDB Local's jar binds every interface; the local stack starts it on loopback only, like its
 * other servers, so a developer's tables are not open to their network. Read from the kernel's own
 * socket tables (Linux), which name the address each listening socket is bound to.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/** The local addresses of the TCP sockets listening on `port`, as hex from /proc/net/tcp{,6}. */
const listeningAddresses = (port: number): string[] =>
  ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // st 0A is LISTEN; local_address is <address hex>:<port hex>.
      .filter((fields) => fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port)
      .map((fields) => fields[1]?.split(':')[0] ?? ''),
  );

const LOOPBACK = new Set([
  '0100007F', // 127.0.0.1
  '0000000000000000FFFF00000100007F', // ::ffff:127.0.0.1
  '00000000000000000000000001000000', // ::1
]);

describe('DynamoDB Local as the local stack starts it', () => {
  it('listens on loopback only', () => {
    const port = Number(new URL(inject('dynamoEndpoint')).port);
    const addresses = listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((address) => !LOOPBACK.has(address))).toEqual([]);
  });
});
