import { isIP } from 'node:net';
import pRetry from 'p-retry';
import { request, type Dispatcher } from 'undici';
import { FeedError } from '../errors.js';
import { BodyTooLargeError, readCapped } from '../http/body.js';
import type { Logger } from '../log.js';
import { stripSecrets } from '../redact.js';
import { AttemptError, errorCode, networkFailure, statusFailure } from './http-errors.js';
import { parseRetryAfter } from './retry-after.js';
import { isPrivateAddress } from '../http/address.js';

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryAfterMs: number;
  maxBodyBytes: number;
}

export interface FetchDeps {
  /** For the configured endpoint's own origin, which the person who wrote the config trusts. */
  dispatcher: Dispatcher;
  /**
   * For any other origin a redirect leads to: a host the feed's server names is not trusted,
   * so it goes through the guarded lookup (no private, loopback or link-local address).
   */
  guardedDispatcher: Dispatcher;
  /** http.allowPrivateNetworks: redirects may lead to private addresses too. */
  allowPrivateNetworks: boolean;
  logger: Logger;
  /** Milliseconds since the epoch; used for HTTP-date Retry-After. */
  now: () => number;
  /** The collection's read key, sent as `?key=`; never logged. */
  apiKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export type FetchedFeed =
  | { notModified: false; body: Buffer; validators: Validators }
  | { notModified: true; validators: Validators };

const MAX_REDIRECTS = 5;

/**
 * A GET of one feed, with timeouts, a body cap, redirects and retries. With `conditional`,
 * sends If-None-Match / If-Modified-Since and reports a 304 as `notModified`.
 */
export async function fetchFeed(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
  conditional?: Validators,
): Promise<FetchedFeed> {
  const shownUrl = stripSecrets(endpoint);
  try {
    return await pRetry(() => fetchOnce(endpoint, options, deps, conditional), {
      retries: options.retries,
      minTimeout: options.retryDelayMs,
      maxTimeout: Math.max(options.retryDelayMs, 60_000),
      factor: 2,
      randomize: true,
      ...(deps.signal ? { signal: deps.signal } : {}),
      shouldRetry: ({ error }) => error instanceof AttemptError && error.retryable,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        const attempt = error instanceof AttemptError ? error : undefined;
        if (!attempt?.retryable || retriesLeft === 0) return;
        deps.logger.warn(
          { url: shownUrl, attempt: attemptNumber, retriesLeft, status: attempt.status, retryAfterMs: attempt.retryAfterMs },
          `feed request failed, will retry: ${attempt.message}`,
        );
        // p-retry adds its own backoff after this; the server's wish comes first.
        if (attempt.retryAfterMs) await sleep(attempt.retryAfterMs, deps.signal);
      },
    });
  } catch (error) {
    if (error instanceof AttemptError) {
      const attempts = error.retryable ? ` (gave up after ${options.retries + 1} attempts)` : '';
      throw new FeedError(`GET ${shownUrl}: ${error.message}${attempts}`, shownUrl, error.status, { cause: error });
    }
    if (error instanceof FeedError) throw error;
    if (deps.signal?.aborted) throw error;
    throw new FeedError(`GET ${shownUrl}: ${(error as Error).message}`, shownUrl, undefined, { cause: error });
  }
}

async function fetchOnce(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
  conditional: Validators | undefined,
): Promise<FetchedFeed> {
  const origin = new URL(endpoint).origin;
  let url = endpoint;
  for (let redirects = 0; ; redirects++) {
    const target = new URL(url);
    // The key goes only to the feed's own origin, never to a host a redirect names.
    if (deps.apiKey && target.origin === origin) target.searchParams.set('key', deps.apiKey);
    const shownUrl = stripSecrets(target);
    const trusted = target.origin === origin;
    if (!trusted) refusePrivateLiteral(target, shownUrl, deps.allowPrivateNetworks);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(target, {
        method: 'GET',
        dispatcher: trusted ? deps.dispatcher : deps.guardedDispatcher,
        headers: {
          accept: 'application/json',
          'user-agent': 'dropmark-sync',
          ...(conditional?.etag ? { 'if-none-match': conditional.etag } : {}),
          ...(conditional?.lastModified ? { 'if-modified-since': conditional.lastModified } : {}),
        },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } catch (error) {
      if (errorCode(error) === 'EPRIVATEADDR') {
        throw new AttemptError(`redirected to ${shownUrl}: ${(error as Error).message}`, shownUrl, false);
      }
      throw networkFailure(error, shownUrl, options.timeoutMs);
    }
    const { statusCode, headers } = response;
    if ([301, 302, 303, 307, 308].includes(statusCode) && typeof headers.location === 'string') {
      await response.body.dump();
      if (redirects >= MAX_REDIRECTS) {
        throw new AttemptError(`more than ${MAX_REDIRECTS} redirects`, shownUrl, false, statusCode);
      }
      const next = new URL(headers.location, target);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new AttemptError(`redirect to a non-HTTP URL refused`, shownUrl, false, statusCode);
      }
      next.searchParams.delete('key');
      url = next.toString();
      continue;
    }
    const validators: Validators = {
      etag: headerText(headers.etag),
      lastModified: headerText(headers['last-modified']),
    };
    if (statusCode === 304 && conditional) {
      await response.body.dump();
      return { notModified: true, validators };
    }
    if (statusCode < 200 || statusCode >= 300) {
      await response.body.dump().catch(() => {});
      const retryAfter = headerText(headers['retry-after']);
      throw statusFailure(statusCode, shownUrl, parseRetryAfter(retryAfter, deps.now(), options.maxRetryAfterMs));
    }
    const body = await readFeedBody(response, options.maxBodyBytes, shownUrl, options.timeoutMs);
    return { notModified: false, body, validators };
  }
}

async function readFeedBody(
  response: Dispatcher.ResponseData,
  maxBytes: number,
  shownUrl: string,
  timeoutMs: number,
): Promise<Buffer> {
  try {
    return await readCapped(response, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new AttemptError(
        `the feed is larger than ${maxBytes} bytes (http.maxBodyBytes). Raise http.maxBodyBytes if the collection really is that large`,
        shownUrl,
        false,
      );
    }
    throw networkFailure(error, shownUrl, timeoutMs);
  }
}

/** A redirect to an IP literal is checked here; a host name is checked on what it resolves to, in the guarded lookup. */
function refusePrivateLiteral(target: URL, shownUrl: string, allowPrivate: boolean): void {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw new AttemptError(
      `redirected to ${shownUrl}, a private or local address; refused (set http.allowPrivateNetworks: true if the feed really lives there)`,
      shownUrl,
      false,
    );
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

