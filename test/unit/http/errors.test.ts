import { describe, expect, it } from 'vitest';
import { DropmarkSyncError } from '../../../src/errors.js';
import { PrivateAddressError } from '../../../src/http/address.js';
import {
  BodyTooLargeError,
  errorCode,
  HttpError,
  innerMessage,
  isRetryableCode,
  isRetryableStatus,
} from '../../../src/http/errors.js';
import { ImageError } from '../../../src/images/image-error.js';

describe('one error model', () => {
  it('every error of the HTTP layer is a DropmarkSyncError, with its own name', () => {
    const errors = [
      new HttpError('HTTP 503', { url: 'https://x.example/', kind: 'status', retryable: true, status: 503 }),
      new BodyTooLargeError({ url: 'https://x.example/', maxBytes: 10 }),
      new PrivateAddressError('localhost resolves to 127.0.0.1'),
      new ImageError('HTTP 403', { expired: true }),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(DropmarkSyncError);
    expect(errors.map((e) => e.name)).toEqual(['HttpError', 'BodyTooLargeError', 'PrivateAddressError', 'ImageError']);
  });

  it('ImageError keeps its meaning: expired, retryable, retryAfterMs', () => {
    expect(new ImageError('HTTP 429', { retryable: true, retryAfterMs: 5000 })).toMatchObject({
      expired: false,
      retryable: true,
      retryAfterMs: 5000,
    });
    expect(new ImageError('the signed URL has expired', { expired: true })).toMatchObject({
      expired: true,
      retryable: false,
      retryAfterMs: undefined,
    });
  });

  it('a body over the cap is final, and says its cap', () => {
    expect(new BodyTooLargeError({ url: 'https://x.example/', maxBytes: 10 })).toMatchObject({
      kind: 'too-large',
      retryable: false,
      maxBytes: 10,
    });
  });
});

describe('classification', () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [403, false],
    [404, false],
    [304, false],
  ])('HTTP %i retryable: %s', (status, retryable) => expect(isRetryableStatus(status)).toBe(retryable));

  it('reads the code and the message under fetch\'s "fetch failed"', () => {
    const inner = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const outer = new TypeError('fetch failed', { cause: inner });
    expect(errorCode(outer)).toBe('UND_ERR_SOCKET');
    expect(innerMessage(outer)).toBe('other side closed');
    expect(isRetryableCode('UND_ERR_SOCKET')).toBe(true);
    expect(isRetryableCode('ENOTFOUND')).toBe(false);
    expect(isRetryableCode(undefined)).toBe(false);
  });
});
