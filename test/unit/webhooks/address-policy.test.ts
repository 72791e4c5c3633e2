import { describe, expect, it } from 'vitest';
import { addressRefusal, urlRefusal } from '#functions/adapters/webhooks/address-policy.ts';
import { HttpWebhookTransport } from '#functions/adapters/webhooks/http-transport.ts';

const cloud = { allowLoopback: false };
const local = { allowLoopback: true };

describe('webhook URL policy', () => {
  it('accepts https on public addresses in the cloud', () => {
    expect(urlRefusal('https://hooks.example.com/co-sell', cloud)).toBeUndefined();
    expect(urlRefusal('https://8.8.8.8/hook', cloud)).toBeUndefined();
    expect(urlRefusal('https://[2606:4700:4700::1111]/hook', cloud)).toBeUndefined();
  });

  it('refuses http, other schemes, credentials and fragments in the cloud', () => {
    expect(urlRefusal('http://hooks.example.com/x', cloud)).toMatch(/https/);
    expect(urlRefusal('ftp://hooks.example.com/x', cloud)).toMatch(/https/);
    expect(urlRefusal('https://user:pw@hooks.example.com/x', cloud)).toMatch(/credentials/);
    expect(urlRefusal('https://hooks.example.com/x#frag', cloud)).toMatch(/fragment/);
    expect(urlRefusal('not a url', cloud)).toMatch(/absolute/);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    // IPv4-compatible, translated and NAT64 forms of the metadata service and loopback
    '::a9fe:a9fe',
    '::7f00:1',
    '::ffff:0:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::808:808',
    // deprecated site-local, documentation (3fff::/20), segment routing (5f00::/16)
    'fec0::1',
    'fec0:ffff::1',
    'feff:ffff::1',
    '3fff::1',
    '3fff:fff::1',
    '5f00::1',
    '5f00:ffff::1',
    // the rest of the special-purpose space
    '::',
    '::2',
    '2001:db8::1',
    '2002:c000:204::1',
    '2001::1',
    '100::1',
    'ff02::1',
    '192.0.2.1',
    '198.18.0.1',
    '240.0.0.1',
  ])('refuses %s in the cloud', (address) => {
    expect(addressRefusal(address, cloud)).toBeDefined();
  });

  it.each([
    '8.8.8.8',
    '2606:4700:4700::1111',
    '2a00:1450:4001::1',
    '::ffff:8.8.8.8',
    '::808:808',
    '64:ff9b::808:808',
    '3fff:1000::1',
    '5f01::1',
  ])('accepts the global unicast address %s in the cloud', (address) => {
    expect(addressRefusal(address, cloud)).toBeUndefined();
  });

  it('judges a loopback address in another form as loopback', () => {
    expect(addressRefusal('::7f00:1', cloud)).toMatch(/loopback/);
    expect(addressRefusal('::ffff:127.0.0.1', local)).toBeUndefined();
    expect(addressRefusal('::a9fe:a9fe', local)).toBeDefined();
  });

  it('allows http and loopback locally, but still no other private range', () => {
    expect(urlRefusal('http://127.0.0.1:8080/hook', local)).toBeUndefined();
    expect(urlRefusal('http://[::1]:8080/hook', local)).toBeUndefined();
    expect(urlRefusal('http://10.0.0.1/hook', local)).toBeDefined();
    expect(addressRefusal('169.254.169.254', local)).toBeDefined();
  });

  it('checks names by what they resolve to', async () => {
    const transport = new HttpWebhookTransport(cloud);
    expect(await transport.refusal('https://localhost/hook')).toMatch(/loopback/);
    expect(await new HttpWebhookTransport(local).refusal('http://localhost:9/hook')).toBeUndefined();
  });

  it('refuses to connect to a refused address at delivery, without sending', async () => {
    const result = await new HttpWebhookTransport(cloud).post('https://localhost:9/hook', {}, '{}');
    expect(result).toEqual({ error: expect.stringMatching(/loopback/) });
  });
});
