import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, parseIPv4, parseIPv6 } from '../../../src/http/ip-ranges.js';
import { propertyOptions } from '../../support/property.js';

// Each refused block at both of its ends and one address past each, worked out by hand from
// the prefix length: a block one bit too wide or too narrow fails here.
describe('private blocks, edge to edge', () => {
  it.each([
    // IPv4 [address, private]
    ['0.0.0.0', true],
    ['0.255.255.255', true],
    ['1.0.0.0', false],
    ['9.255.255.255', false],
    ['10.0.0.0', true],
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['100.63.255.255', false],
    ['100.64.0.0', true],
    ['100.127.255.255', true],
    ['100.128.0.0', false],
    ['126.255.255.255', false],
    ['127.0.0.0', true],
    ['127.255.255.255', true],
    ['128.0.0.0', false],
    ['169.253.255.255', false],
    ['169.254.0.0', true],
    ['169.254.255.255', true],
    ['169.255.0.0', false],
    ['172.15.255.255', false],
    ['172.16.0.0', true],
    ['172.31.255.255', true],
    ['172.32.0.0', false],
    ['191.255.255.255', false],
    ['192.0.0.0', true],
    ['192.0.0.255', true],
    ['192.0.1.0', false],
    ['192.0.2.0', true],
    ['192.0.2.255', true],
    ['192.0.3.0', false],
    ['192.88.98.255', false],
    ['192.88.99.0', true],
    ['192.88.99.255', true],
    ['192.88.100.0', false],
    ['192.167.255.255', false],
    ['192.168.0.0', true],
    ['192.168.255.255', true],
    ['192.169.0.0', false],
    ['198.17.255.255', false],
    ['198.18.0.0', true],
    ['198.19.255.255', true],
    ['198.20.0.0', false],
    ['198.51.99.255', false],
    ['198.51.100.0', true],
    ['198.51.100.255', true],
    ['198.51.101.0', false],
    ['203.0.112.255', false],
    ['203.0.113.0', true],
    ['203.0.113.255', true],
    ['203.0.114.0', false],
    ['223.255.255.255', false],
    ['224.0.0.0', true],
    ['239.255.255.255', true],
    ['240.0.0.0', true],
    // IPv6
    ['fbff:ffff::', false],
    ['fc00::', true],
    ['fdff:ffff::', true],
    ['fe00::', false],
    ['fe7f:ffff::', false],
    ['fe80::', true],
    ['febf:ffff::', true],
    ['fec0::', true],
    ['feff:ffff::', true],
    ['ff00::', true],
    ['ffff:ffff::', true],
    ['100::', true],
    ['100::ffff:ffff:ffff:ffff', true],
    ['100:0:0:1::', false],
    ['ff::', false],
    ['2001:db7:ffff::', false],
    ['2001:db8::', true],
    ['2001:db8:ffff::', true],
    ['2001:db9::', false],
    ['3ffe:ffff::', false],
    ['3fff::', true],
    ['3fff:fff::', true],
    ['3fff:1000::', false],
    ['2001:1::1', false], // past Teredo's /32
    ['2002::', true], // 6to4 of 0.0.0.0
    ['2003::1', false],
    ['64:ff9b::ffff:ffff', true], // 255.255.255.255
    ['64:ff9b:0:0:1::', false], // outside the well-known /96, inside no other block
    ['64:ff9b:1:ffff::', true],
    ['64:ff9b:2::', false],
    ['::ffff:0:0', true], // 0.0.0.0
  ])('%s is private: %s', (address, expected) => expect(isPrivateAddress(address)).toBe(expected));
});

describe('what is not an address', () => {
  it.each(['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '::g', '1:2:3:4:5:6:7:8:9', 'fe80::1%', '[::1]'])(
    '%j is no private address',
    (text) => expect(isPrivateAddress(text)).toBe(false),
  );
});

// The pure parsers stand in for node:net's isIP (the pure rules may not reach the socket layer):
// they must accept exactly the texts isIP accepts, as the same family.
describe('the parsers accept what net.isIP accepts', () => {
  const token = fc.constantFrom(
    ...['0', '1', '9', '00', '01', '10', '99', '255', '256', '1000', 'f', 'fF', 'abc', 'ffff', '12345', 'g'],
    ...[':', '::', ':::', '.', '..', '%', '%eth0', '%1', '%a:b', '%a%b', '%!', '[', ' ', '-', 'x', '0x7f'],
  );
  const text = fc.array(token, { maxLength: 18 }).map((parts) => parts.join(''));
  const family = (t: string) => (parseIPv4(t) ? 4 : parseIPv6(t)?.length === 16 ? 6 : 0);

  it('on random texts made of address pieces', () => {
    fc.assert(
      fc.property(text, (t) => family(t) === isIP(t)),
      propertyOptions(20_000),
    );
  });

  it.each([
    ['1.2.3.4', 4],
    ['01.2.3.4', 0],
    ['::1.2.3.4', 6],
    ['1::1.2.3.4:5', 0],
    ['1.2.3.4::', 0],
    ['1:2:3:4:5:6:1.2.3.4', 6],
    ['::1:2:3:4:5:6:1.2.3.4', 0],
    ['fe80::1%eth0', 6],
    ['fe80::1%a%b', 0],
    ['1:2:3:4:5:6:7::', 6],
    ['::1g', 0],
  ])('%s is family %d for both', (t, expected) => {
    expect(isIP(t)).toBe(expected);
    expect(family(t)).toBe(expected);
  });
});
