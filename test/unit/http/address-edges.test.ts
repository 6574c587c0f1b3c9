import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { guardedLookup } from '../../../src/http/address.js';
import { isPrivateAddress } from '../../../src/http/ip-ranges.js';
import { createGuardedDispatcher } from '../../../src/http/guarded-agent.js';

describe('isPrivateAddress: forms of an address', () => {
  it.each([
    // A zone index is dropped, not read as part of the last group.
    ['2606:4700::1111%eth0', false],
    ['fe80::1%eth0', true],
    // A dotted IPv4 inside IPv6 gives both of its middle bytes.
    ['::ffff:192.168.1.1', true],
    ['::ffff:198.51.100.1', true],
    ['::ffff:198.51.0.1', false],
    ['::ffff:192.0.1.1', false],
    ['64:ff9b::192.168.1.1', true],
    ['64:ff9b::8.8.8.8', false],
    // A :: that stands for a single zero group, at either end.
    ['1:2:3:4:5:6:7::', false],
    ['::2:3:4:5:6:7:8', false],
  ])('%s: private %s', (address, isPrivate) => expect(isPrivateAddress(address)).toBe(isPrivate));
});

describe('the refusal', () => {
  it('is a PrivateAddressError by name and code', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup(false, (_host, _options, callback) => callback(null, [{ address: '10.0.0.1', family: 4 }]))(
        'intranet.example',
        {},
        (e) => resolve(e),
      ),
    );
    expect(error?.name).toBe('PrivateAddressError');
    expect(error?.code).toBe('EPRIVATEADDR');
    expect(error?.message).toBe(
      'intranet.example resolves to 10.0.0.1, a private or local address; refused (http.allowPrivateNetworks is false)',
    );
  });
});

describe('createGuardedDispatcher', () => {
  it('connects through the guarded lookup: localhost is refused unless private networks are allowed', async () => {
    const refusing = createGuardedDispatcher(5_000, false);
    const allowing = createGuardedDispatcher(5_000, true);
    try {
      // Port 9 (discard) has no listener here: an allowed connection is refused by the system instead.
      const refused = await request('http://localhost:9/', { dispatcher: refusing }).catch((e: Error) => e);
      expect((refused as Error & { code?: string }).code).toBe('EPRIVATEADDR');
      const allowed = await request('http://localhost:9/', { dispatcher: allowing }).catch((e: Error) => e);
      expect((allowed as Error & { code?: string }).code).toBe('ECONNREFUSED');
    } finally {
      await Promise.all([refusing.close(), allowing.close()]);
    }
  });
});
