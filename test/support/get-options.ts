import { buffer } from 'node:stream/consumers';
import type { GetOptions } from '../../src/http/client.js';

/** A feed GET's options for the HTTP client's tests: small limits, one retry, the body read whole as text. */
export function feedGetOptions(trustedOrigin: string, over: Partial<GetOptions<string>> = {}): GetOptions<string> {
  return {
    what: 'feed',
    timeoutMs: 2000,
    maxBytes: 1024,
    retries: 1,
    retryDelayMs: 1,
    maxRetryAfterMs: 1000,
    trustedOrigin,
    read: async (answer) => (await buffer(answer.body)).toString(),
    ...over,
  };
}
