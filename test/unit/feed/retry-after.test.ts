import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/feed/retry-after.js';

const now = Date.parse('2026-11-26T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads seconds', () => expect(parseRetryAfter('3', now, 60_000)).toBe(3000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now, 60_000)).toBe(5000));
  it('treats a past date as no wait', () => expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now, 60_000)).toBe(0));
  it('caps long waits', () => expect(parseRetryAfter('86400', now, 60_000)).toBe(60_000));
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now, 1)).toBeUndefined();
    expect(parseRetryAfter('soon', now, 1)).toBeUndefined();
    expect(parseRetryAfter('-5', now, 1)).toBeUndefined();
  });
});
