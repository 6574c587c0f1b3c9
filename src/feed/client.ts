import { describeError, FeedError } from '../errors.js';
import { createHttpClient, type DispatcherSource, type HttpAnswer } from '../http/client.js';
import type { Dispatcher } from 'undici';
import { HttpError } from '../http/errors.js';
import type { Logger } from '../log.js';
import { stripSecrets } from '../text/redact.js';
import { feedError } from './http-errors.js';
import { FeedParser, type ItemStream, type ParsedFeed } from './parse.js';

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryAfterMs: number;
  maxBodyBytes: number;
}

export interface FetchDeps {
  /**
   * For the configured endpoint's own origin, which the person who wrote the config trusts (absent: Node's own
   * http client).
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * For any other origin a redirect leads to: a host the feed's server names is not trusted,
   * so it goes through the guarded lookup (no private, loopback or link-local address).
   */
  guardedDispatcher: DispatcherSource;
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
  | {
      notModified: false;
      /** The body parsed as it came (FeedParser): it is never held whole, as bytes or as text. */
      feed: ParsedFeed;
      validators: Validators;
    }
  | { notModified: true; validators: Validators };

/** A feed read through an ItemStream (streamFeed): its items went there, and nothing of it is kept. */
export type StreamedFeed =
  | {
      notModified: false;
      /** The collection's item count (ParsedFeed's `totalCount`). */
      totalCount: number | undefined;
      validators: Validators;
    }
  | { notModified: true; validators: Validators };

/**
 * A GET of one feed, with timeouts, a body cap, redirects and retries. With `conditional`,
 * sends If-None-Match / If-Modified-Since and reports a 304 as `notModified`; without, a 304 fails.
 */
export function fetchFeed(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
): Promise<Extract<FetchedFeed, { notModified: false }>>;
export function fetchFeed(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
  conditional: Validators | undefined,
): Promise<FetchedFeed>;
export function fetchFeed(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
  conditional?: Validators,
): Promise<FetchedFeed> {
  return getFeed(endpoint, options, deps, conditional, async (answer, shownUrl, validators) => {
    const parser = new FeedParser(shownUrl);
    for await (const chunk of answer.body) parser.push(chunk as Buffer);
    return { notModified: false, feed: parser.end(), validators };
  });
}

/**
 * fetchFeed for a reader that keeps nothing of the feed (a poll that hashes it, sync/feed-stage.ts): each valid item
 * goes to `stream` as it is parsed and is garbage at once; neither the items nor the bytes are held. The feed is
 * checked as fetchFeed checks it (FeedParser), failing the same way.
 */
export function streamFeed(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
  conditional: Validators,
  stream: ItemStream,
): Promise<StreamedFeed> {
  return getFeed(endpoint, options, deps, conditional, async (answer, shownUrl, validators) => {
    // A retried attempt starts again: its parser restarts the stream when the attempt's items list begins.
    const parser = new FeedParser(shownUrl, stream);
    for await (const chunk of answer.body) parser.push(chunk as Buffer);
    return { notModified: false, totalCount: parser.end().totalCount, validators };
  });
}

async function getFeed<T>(
  endpoint: string,
  options: HttpOptions,
  deps: FetchDeps,
  conditional: Validators | undefined,
  read: (answer: HttpAnswer, shownUrl: string, validators: Validators) => Promise<T>,
): Promise<T | { notModified: true; validators: Validators }> {
  const shownUrl = stripSecrets(endpoint);
  try {
    const client = createHttpClient(deps);
    return await client.get(endpoint, {
      ...options,
      what: 'feed',
      maxBytes: options.maxBodyBytes,
      trustedOrigin: new URL(endpoint).origin,
      secretQuery: deps.apiKey ? { key: deps.apiKey } : undefined,
      headers: {
        accept: 'application/json',
        ...(conditional?.etag ? { 'if-none-match': conditional.etag } : {}),
        ...(conditional?.lastModified ? { 'if-modified-since': conditional.lastModified } : {}),
      },
      acceptStatus: (status) => status === 304 && conditional !== undefined,
      read: (answer) => readFeed(answer, shownUrl, read),
    });
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    if (error instanceof HttpError) throw feedError(error, shownUrl, options);
    if (error instanceof FeedError) throw error;
    throw new FeedError(`GET ${shownUrl}: ${describeError(error)}`, { url: shownUrl, cause: error });
  }
}

async function readFeed<T>(
  answer: HttpAnswer,
  shownUrl: string,
  read: (answer: HttpAnswer, shownUrl: string, validators: Validators) => Promise<T>,
): Promise<T | { notModified: true; validators: Validators }> {
  const validators: Validators = {
    etag: answer.headers.get('etag') ?? undefined,
    lastModified: answer.headers.get('last-modified') ?? undefined,
  };
  if (answer.status === 304) return { notModified: true, validators };
  // A body that is no feed fails here, as a FeedError: an answer, not a failed transfer, so it is not retried.
  return read(answer, shownUrl, validators);
}
