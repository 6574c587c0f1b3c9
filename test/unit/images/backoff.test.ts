import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isBackedOff, nextBackoff } from '../../../src/images/backoff.js';

const H = 3_600_000;
const URL_A = 'https://cdn.example/a.jpg';

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
      { failed: new Map([[URL_A, 'HTTP 404']]), succeeded: new Set(), inFeed: new Set([URL_A]) },
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
      { failed: new Map([[URL_A, 'HTTP 404']]), succeeded: new Set(), inFeed: new Set([URL_A]) },
      t1,
    );
    expect(two.get(URL_A)).toMatchObject({
      count: 2,
      firstFailedAt: '2026-01-01T00:00:00.000Z',
      retryAt: '2026-01-01T03:00:00.000Z',
    });
    // Not tried this run (still backed off): the record stands as it was.
    expect(
      nextBackoff(two, { failed: new Map(), succeeded: new Set(), inFeed: new Set([URL_A]) }, t1).get(URL_A),
    ).toEqual(two.get(URL_A));
    expect(
      nextBackoff(two, { failed: new Map(), succeeded: new Set([URL_A]), inFeed: new Set([URL_A]) }, t1).size,
    ).toBe(0);
    expect(nextBackoff(two, { failed: new Map(), succeeded: new Set(), inFeed: new Set() }, t1).size).toBe(0);
  });
});
