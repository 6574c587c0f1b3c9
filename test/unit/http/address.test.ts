import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { guardedLookup, PrivateAddressError, type Resolve } from '../../../src/http/address.js';
import { isPrivateAddress } from '../../../src/http/ip-ranges.js';

describe('isPrivateAddress', () => {
  // Expected values worked out by hand; the IPv4 inside each IPv6 form is noted.
  it.each([
    // IPv4
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['169.254.169.254', true],
    ['192.0.2.1', true], // documentation (TEST-NET-1)
    ['198.51.100.7', true], // documentation (TEST-NET-2)
    ['203.0.113.9', true], // documentation (TEST-NET-3)
    ['192.88.99.1', true], // deprecated 6to4 relay anycast
    ['255.255.255.255', true],
    ['93.184.216.34', false],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    // plain IPv6
    ['::1', true],
    ['::', true],
    ['FE80::1', true],
    ['fe80::1%eth0', true],
    ['FD12:3456::1', true],
    ['2001:db8::1', true], // documentation
    ['3fff::1', true], // documentation (RFC 9637)
    ['2606:4700::1111', false],
    ['2a00:1450:4001:80b::200e', false],
    // IPv4-mapped ::ffff:0:0/96, dotted and hex
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true], // 127.0.0.1, as Node's URL parser writes it
    ['::FFFF:7F00:1', true],
    ['0:0:0:0:0:ffff:c0a8:101', true], // 192.168.1.1
    ['::ffff:a9fe:a9fe', true], // 169.254.169.254
    ['::ffff:8.8.8.8', false],
    ['::ffff:808:808', false], // 8.8.8.8
    ['::ffff:5db8:d822', false], // 93.184.216.34
    // IPv4-compatible ::/96: refused whatever it embeds
    ['::127.0.0.1', true],
    ['::7f00:1', true],
    ['::8.8.8.8', true],
    ['::808:808', true],
    // 6to4 2002::/16, IPv4 in bits 16-47
    ['2002:7f00:1::', true], // 127.0.0.1
    ['2002:a9fe:a9fe::1', true], // 169.254.169.254
    ['2002:C0A8:0101::', true], // 192.168.1.1
    ['2002:c000:0201::', true], // 192.0.2.1
    ['2002:808:808::1', false], // 8.8.8.8
    ['2002:5db8:d822::1', false], // 93.184.216.34
    // NAT64 well-known prefix 64:ff9b::/96, IPv4 in the last 32 bits
    ['64:ff9b::7f00:1', true], // 127.0.0.1
    ['64:ff9b::127.0.0.1', true],
    ['64:FF9B::a00:1', true], // 10.0.0.1
    ['64:ff9b::808:808', false], // 8.8.8.8
    ['64:ff9b::93.184.216.34', false],
    // NAT64 local-use 64:ff9b:1::/48: refused whatever it embeds
    ['64:ff9b:1::808:808', true],
    // Teredo 2001::/32: refused whatever it embeds (client 192.0.2.45 and 8.8.8.8, bit-inverted)
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true],
    ['2001::f7f7:f7f7', true],
    // not an IP at all
    ['example.com', false],
  ])('%s is private: %s', (address, expected) => expect(isPrivateAddress(address)).toBe(expected));
});

interface Outcome {
  error: NodeJS.ErrnoException | null;
  address: string | LookupAddress[] | undefined;
  family: number | undefined;
}

function run(lookup: LookupFunction, hostname: string, options: { all?: boolean } = {}): Promise<Outcome> {
  return new Promise((resolve) =>
    lookup(hostname, options, (error, address, family) => resolve({ error, address, family })),
  );
}

/** A resolver that answers every name with `addresses`, recording the options it was given. */
function fakeResolver(addresses: LookupAddress[], seen: object[] = []): Resolve {
  return (_hostname, options, callback) => {
    seen.push(options);
    callback(null, addresses);
  };
}

describe('guardedLookup', () => {
  it('refuses localhost (127.0.0.1 from /etc/hosts) when private networks are not allowed', async () => {
    const { error, address } = await run(guardedLookup(false), 'localhost');
    expect(error).toBeInstanceOf(PrivateAddressError);
    expect(error?.code).toBe('EPRIVATEADDR');
    expect(address).toBeUndefined();
  });

  it('gives the address of localhost when private networks are allowed', async () => {
    const { error, address, family } = await run(guardedLookup(true), 'localhost');
    expect(error).toBeNull();
    expect(['127.0.0.1', '::1']).toContain(address);
    expect(family).toBe(address === '::1' ? 6 : 4);
  });

  it('gives every address as an array with { all: true }', async () => {
    const { error, address } = await run(guardedLookup(true), 'localhost', { all: true });
    expect(error).toBeNull();
    expect(Array.isArray(address)).toBe(true);
    const list = address as LookupAddress[];
    expect(list.length).toBeGreaterThan(0);
    for (const a of list) expect(['127.0.0.1', '::1']).toContain(a.address);
  });

  it('refuses a name whose answer mixes public and private addresses', async () => {
    const seen: object[] = [];
    const resolve = fakeResolver(
      [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
      seen,
    );
    const { error, address } = await run(guardedLookup(false, resolve), 'images.example.com');
    expect(error).toBeInstanceOf(PrivateAddressError);
    expect(error?.code).toBe('EPRIVATEADDR');
    expect(error?.message).toContain('10.0.0.1');
    expect(address).toBeUndefined();
    // Every address is asked for, so none can hide behind the first.
    expect(seen).toEqual([{ all: true }]);
  });

  it('refuses an answer holding an IPv6 form of a private IPv4 (6to4 of 127.0.0.1)', async () => {
    const resolve = fakeResolver([{ address: '2002:7f00:1::', family: 6 }]);
    const { error } = await run(guardedLookup(false, resolve), 'images.example.com');
    expect(error?.code).toBe('EPRIVATEADDR');
  });

  it('passes a public-only answer on: the first address, or all of them', async () => {
    const answer = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ];
    const one = await run(guardedLookup(false, fakeResolver(answer)), 'images.example.com');
    expect(one).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    const all = await run(guardedLookup(false, fakeResolver(answer)), 'images.example.com', { all: true });
    expect(all.error).toBeNull();
    expect(all.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
  });

  it('passes a resolver error through', async () => {
    const failing: Resolve = (_hostname, _options, callback) =>
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' }), []);
    const { error } = await run(guardedLookup(false, failing), 'nowhere.example');
    expect(error?.code).toBe('ENOTFOUND');
  });
});

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );
});
