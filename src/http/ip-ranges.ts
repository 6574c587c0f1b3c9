// Pure: which addresses are private, from the address's text alone. Apart from the DNS lookup
// (address.ts) so the download rules that refuse an IP literal reach no socket or resolver, and
// without node:net (its isIP is pure, but the module is the socket layer): the parsers below
// accept exactly the texts isIP accepts, which test/unit/http/ip-ranges.test.ts checks against it.
// Not ipaddr.js: it reads the deprecated IPv4-compatible `::8.8.8.8` as the IPv4-mapped `::ffff:8.8.8.8`.

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const ZONE = /^%[0-9a-zA-Z.:-]+$/;

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
type Bytes = readonly number[];

interface Block {
  bytes: Bytes;
  bits: number;
}

/**
 * Loopback, private, link-local (cloud metadata), CGNAT, benchmarking, documentation,
 * multicast, reserved and unspecified ranges. 240.0.0.0/4 includes 255.255.255.255.
 */
const IPV4_BLOCKS = blocks(parseIPv4, [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);

/** Unique local, link-local, deprecated site-local, multicast, discard-only and documentation. */
const IPV6_BLOCKS = blocks(parseIPv6, [
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['100::', 64],
  ['2001:db8::', 32],
  ['3fff::', 20],
]);

interface Embedding extends Block {
  /** The IPv4 addresses the packet ends up at, checked against IPV4_BLOCKS; absent: refused whatever it holds. */
  ipv4?: (address: Bytes) => Bytes[];
}

/** The IPv6 prefixes that embed an IPv4 address. */
const EMBEDDINGS: readonly Embedding[] = [
  // IPv4-mapped (RFC 4291 2.5.5.2): a dual-stack socket connects to the IPv4 itself, which decides.
  { ...block(parseIPv6, '::ffff:0:0', 96), ipv4: (a) => [a.slice(12, 16)] },
  // IPv4-compatible, with :: and ::1 (RFC 4291 2.5.5.1): deprecated, no server is reached this way; refused.
  block(parseIPv6, '::', 96),
  // NAT64 well-known prefix (RFC 6052): DNS64 writes every IPv4-only host so, and 3.1 forbids non-global IPv4 in it.
  { ...block(parseIPv6, '64:ff9b::', 96), ipv4: (a) => [a.slice(12, 16)] },
  // NAT64 local-use (RFC 8215): reaches whatever the local operator maps, at an offset of their choosing; refused.
  block(parseIPv6, '64:ff9b:1::', 48),
  // 6to4 (RFC 3056): still global unicast; a 6to4 host tunnels straight to the IPv4 in bits 16-47, which decides.
  { ...block(parseIPv6, '2002::', 16), ipv4: (a) => [a.slice(2, 6)] },
  // Teredo (RFC 4380): client IPv4 is the inverted last 32 bits, but the path hangs on local tunnel and relay,
  // and no server lives here; refused.
  block(parseIPv6, '2001::', 32),
];

export function isPrivateAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return isPrivateIPv4(v4);
  const bytes = parseIPv6(address);
  if (bytes) {
    const embedding = EMBEDDINGS.find((e) => inBlock(bytes, e));
    if (embedding) return embedding.ipv4 ? embedding.ipv4(bytes).some(isPrivateIPv4) : true;
    return IPV6_BLOCKS.some((b) => inBlock(bytes, b));
  }
  return false;
}

function isPrivateIPv4(bytes: Bytes): boolean {
  return IPV4_BLOCKS.some((b) => inBlock(bytes, b));
}

function inBlock(bytes: Bytes, { bytes: net, bits }: Block): boolean {
  if (bytes.length !== net.length) return false;
  for (let i = 0; i * 8 < bits; i++) {
    const keep = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((net[i] ?? 0) & mask)) return false;
  }
  return true;
}

function block(parse: (text: string) => Bytes | undefined, net: string, bits: number): Block {
  const bytes = parse(net);
  if (!bytes) throw new Error(`bad network ${net}`);
  return { bytes, bits };
}

function blocks(parse: (text: string) => Bytes | undefined, list: ReadonlyArray<readonly [string, number]>): Block[] {
  return list.map(([net, bits]) => block(parse, net, bits));
}

/** Dotted-quad IPv4 (four decimal numbers 0-255, no leading zero) to 4 bytes. */
export function parseIPv4(text: string): Bytes | undefined {
  return DOTTED_QUAD.test(text) ? text.split('.').map(Number) : undefined;
}

/**
 * Textual IPv6 (`::` compression, upper or lower case, a dotted IPv4 in the last 32 bits,
 * a `%zone`, which is dropped) to 16 bytes.
 */
export function parseIPv6(text: string): Bytes | undefined {
  const zone = text.indexOf('%');
  if (zone !== -1 && !ZONE.test(text.slice(zone))) return undefined;
  const address = zone === -1 ? text : text.slice(0, zone);
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = words(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? words(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

/** `1:ab:10.0.0.1` to 16-bit words; a dotted IPv4 makes two, and only as the address's last group. */
function words(part: string, endsAddress: boolean): number[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  const out: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (endsAddress && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIPv4(group);
      if (!v4) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (HEX_GROUP.test(group)) {
      out.push(Number.parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return out;
}
