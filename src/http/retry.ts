import type { Logger } from '../log.js';
import { HttpError } from './errors.js';

export interface RetryPolicy {
  retries: number;
  retryDelayMs: number;
}

export interface RetryContext {
  /** What is fetched and from where, for the log ('feed', 'image'; a URL without secrets). */
  what: string;
  url: string;
  logger: Logger;
  signal?: AbortSignal | undefined;
  /** Jitter in [0, 1): spreads parallel downloads that failed together. */
  random: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries are spent. Only an
 * HttpError that says `retryable` is tried again; the wait is the server's Retry-After when
 * it asks for longer than our backoff. A stop or the deadline ends the wait at once.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  context: RetryContext,
): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      if (context.signal?.aborted || !(error instanceof HttpError)) throw error;
      const retriesLeft = policy.retries + 1 - number;
      if (!error.retryable || retriesLeft <= 0) {
        error.attempts = number;
        throw error;
      }
      const waitMs = Math.max(error.retryAfterMs ?? 0, backoffMs(number, policy.retryDelayMs, context.random));
      context.logger.warn(
        {
          url: context.url,
          attempt: number,
          retriesLeft,
          status: error.status,
          retryAfterMs: error.retryAfterMs,
          waitMs,
        },
        `${context.what} request failed, will retry: ${error.message}`,
      );
      await wait(waitMs, context.signal);
    }
  }
}

/** Exponential, with jitter, never over a minute unless retryDelayMs itself is. */
export function backoffMs(attempt: number, retryDelayMs: number, random: () => number): number {
  const base = retryDelayMs * 2 ** (attempt - 1) * (1 + random());
  return Math.round(Math.min(base, Math.max(retryDelayMs, 60_000)));
}

/** setTimeout that the signal ends at once, rejecting with the signal's reason. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
