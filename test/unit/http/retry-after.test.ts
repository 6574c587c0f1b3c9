import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/http/retry-after.js';

const now = Date.parse('2026-11-26T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads seconds', () => expect(parseRetryAfter('3', now, 60_000)).toBe(3000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now, 60_000)).toBe(5000));
  it('treats a past date as no wait', () =>
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now, 60_000)).toBe(0));
  it('caps long waits', () => expect(parseRetryAfter('86400', now, 60_000)).toBe(60_000));
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now, 1)).toBeUndefined();
    expect(parseRetryAfter('soon', now, 1)).toBeUndefined();
    expect(parseRetryAfter('-5', now, 1)).toBeUndefined();
  });
});

describe('parseRetryAfter: the two forms of RFC 9110 and nothing else', () => {
  it.each([
    // [header, wait in ms with a 60 s cap]
    ['0', 0],
    ['59', 59_000],
    ['60', 60_000],
    ['61', 60_000],
    [' 7 ', 7_000],
    ['Thu, 26 Nov 2026 10:00:30 GMT', 30_000],
    ['thu, 26 Nov 2026 10:00:30 GMT', 30_000],
    ['Thu 26 Nov 2026 10:00:30 GMT', 30_000], // the comma is optional
    ['Thu, 26 Nov 2026 10:01:00 GMT', 60_000],
    ['Thu, 26 Nov 2026 10:05:00 GMT', 60_000],
    ['Thu, 26 Nov 2026 10:00:00 GMT', 0],
  ])('%j waits %i ms', (header, ms) => expect(parseRetryAfter(header, now, 60_000)).toBe(ms));

  it.each([
    '',
    '   ',
    '1.5', // delta-seconds are whole
    '5s',
    'x5',
    '+5',
    'Thu, 99 Nov 2026 10:00:30 GMT', // looks like a date, is none
    'Thursday, 26 Nov 2026 10:00:30 GMT',
    ' Thu,26 Nov 2026 10:00:30 GMT',
    '2026-11-26T10:00:30Z', // ISO is not an HTTP date
    'in Thu, 26 Nov 2026 10:00:30 GMT',
  ])('%j is no Retry-After', (header) => expect(parseRetryAfter(header, now, 60_000)).toBeUndefined());
});
