import { describe, expect, it } from 'vitest';
import { backoffDelayMs, currentRecords, isBackedOff, nextBackoff } from '../../../src/images/backoff.js';

const H = 3_600_000;
const URL_A = 'https://cdn.example/a.jpg';
const NOT_FOUND = { reason: 'HTTP 404', byConfig: false, policy: false };

describe('a failed image waits 1 h, doubling to 7 days', () => {
  it.each([
    [1, 1 * H],
    [2, 2 * H],
    [3, 4 * H],
    [8, 128 * H],
    [9, 168 * H], // 256 h is past 7 days
    [40, 168 * H],
  ])('after failure %i: %i ms', (count, ms) => expect(backoffDelayMs(count)).toBe(ms));

  it('records the first failure, doubles on the next, and forgets on success or when the item is gone', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const one = nextBackoff(
      new Map(),
      { failed: new Map([[URL_A, NOT_FOUND]]), succeeded: new Set(), inFeed: new Set([URL_A]), config: 'c1' },
      t0,
    );
    expect(one.get(URL_A)).toEqual({
      count: 1,
      firstFailedAt: '2026-01-01T00:00:00.000Z',
      lastFailedAt: '2026-01-01T00:00:00.000Z',
      retryAt: '2026-01-01T01:00:00.000Z',
      reason: 'HTTP 404',
    });
    expect(isBackedOff(one.get(URL_A), new Date('2026-01-01T00:59:59Z'))).toBe(true);
    expect(isBackedOff(one.get(URL_A), new Date('2026-01-01T01:00:00Z'))).toBe(false);
    const t1 = new Date('2026-01-01T01:00:00Z');
    const two = nextBackoff(
      one,
      { failed: new Map([[URL_A, NOT_FOUND]]), succeeded: new Set(), inFeed: new Set([URL_A]), config: 'c1' },
      t1,
    );
    expect(two.get(URL_A)).toMatchObject({
      count: 2,
      firstFailedAt: '2026-01-01T00:00:00.000Z',
      retryAt: '2026-01-01T03:00:00.000Z',
    });
    // Not tried this run (still backed off): the record stands as it was.
    expect(
      nextBackoff(two, { failed: new Map(), succeeded: new Set(), inFeed: new Set([URL_A]), config: 'c1' }, t1).get(
        URL_A,
      ),
    ).toEqual(two.get(URL_A));
    expect(
      nextBackoff(two, { failed: new Map(), succeeded: new Set([URL_A]), inFeed: new Set([URL_A]), config: 'c1' }, t1)
        .size,
    ).toBe(0);
    expect(
      nextBackoff(two, { failed: new Map(), succeeded: new Set(), inFeed: new Set(), config: 'c1' }, t1).size,
    ).toBe(0);
  });
});

describe('a refusal by the config waits only as long as that config stands', () => {
  const t0 = new Date('2026-12-07T00:00:00Z');
  const attempts = (failed: { reason: string; byConfig: boolean; policy: boolean }) => ({
    failed: new Map([[URL_A, failed]]),
    succeeded: new Set<string>(),
    inFeed: new Set([URL_A]),
    config: 'rules-1',
  });

  it('records the config with a refusal by it, and drops the record once the config differs', () => {
    const refused = nextBackoff(
      new Map(),
      attempts({ reason: 'the image is larger than 100 bytes (images.maxBytes)', byConfig: true, policy: false }),
      t0,
    );
    expect(refused.get(URL_A)).toEqual({
      count: 1,
      firstFailedAt: '2026-12-07T00:00:00.000Z',
      lastFailedAt: '2026-12-07T00:00:00.000Z',
      retryAt: '2026-12-07T01:00:00.000Z',
      reason: 'the image is larger than 100 bytes (images.maxBytes)',
      config: 'rules-1',
    });
    expect(currentRecords(refused, 'rules-1').size).toBe(1);
    expect(currentRecords(refused, 'rules-2').size).toBe(0);
  });

  it('a CDN error keeps its backoff whatever the config', () => {
    const outage = nextBackoff(new Map(), attempts(NOT_FOUND), t0);
    expect(outage.get(URL_A)).not.toHaveProperty('config');
    expect(currentRecords(outage, 'rules-2').get(URL_A)).toEqual(outage.get(URL_A));
  });

  it("a refusal by the owner's policy is marked as such", () => {
    const svg = nextBackoff(
      new Map(),
      attempts({ reason: 'refused: the bytes are image/svg+xml', byConfig: true, policy: true }),
      t0,
    );
    expect(svg.get(URL_A)).toMatchObject({ config: 'rules-1', policy: true });
  });
});
