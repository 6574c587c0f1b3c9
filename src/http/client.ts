import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { parseRetryAfter } from './retry-after.js';
import { silentLogger, type Logger } from '../log.js';
import { redactText, stripSecrets } from '../text/redact.js';
import { isPrivateAddress } from './ip-ranges.js';
import { cappedBody, discardBody, type ProgressTimer } from './body.js';
import { BodyTooLargeError, errorCode, HttpError, innerMessage, isRetryableCode, isRetryableStatus } from './errors.js';
import { nodeGet, type TransportAnswer } from './node-get.js';
import { withRetries } from './retry.js';

/** A dispatcher, or how to make one on first use. */
export type DispatcherSource = Dispatcher | (() => Promise<Dispatcher>);

export function resolveDispatcher(source: DispatcherSource): Promise<Dispatcher> {
  return typeof source === 'function' ? source() : Promise.resolve(source);
}

export interface HttpClientDeps {
  /**
   * For the trusted origin (the configured endpoint's), which the person who wrote the config
   * trusts. Absent: Node's own http client (node-get.ts), so a poll loads no HTTP package nor fetch's parser.
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * For every other origin: a host the feed names is not trusted, so its name goes through
   * the guarded lookup (createGuardedDispatcher: no private, loopback or link-local address).
   */
  guardedDispatcher: DispatcherSource;
  /** http.allowPrivateNetworks: other origins may be private addresses too. */
  allowPrivateNetworks: boolean;
  /** Milliseconds since the epoch; for HTTP-date Retry-After. */
  now: () => number;
  /** A stop or the deadline: ends a request, a body or a wait at once. */
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /** Backoff jitter in [0, 1); tests pass a constant. */
  random?: (() => number) | undefined;
}

export interface RequestLimits {
  /** No headers, or no body chunk, for this long: the attempt fails (retryable). */
  timeoutMs: number;
  maxBytes: number;
  retries: number;
  retryDelayMs: number;
  /** A longer Retry-After is cut to this. */
  maxRetryAfterMs: number;
}

export interface GetOptions<T> extends RequestLimits {
  /** For the log: 'feed', 'image'. */
  what: string;
  headers?: Readonly<Record<string, string>> | undefined;
  /** The one origin that gets `dispatcher` and `secretQuery`; every other goes through the guard. */
  trustedOrigin?: string | undefined;
  /** Query parameters (the read key) sent to the trusted origin only, never to a host a redirect names. */
  secretQuery?: Readonly<Record<string, string>> | undefined;
  /** A rule of the caller's for every hop (scheme, allowed hosts); throws to refuse. */
  checkHop?: ((target: URL) => void) | undefined;
  /** Statuses besides 2xx that are answers rather than failures (304 to a conditional GET). */
  acceptStatus?: ((status: number) => boolean) | undefined;
  /**
   * Consumes an accepted answer. Its body is capped at maxBytes and guarded by the timeout;
   * an HttpError thrown while reading it (a cut-off body) is retried like any other.
   */
  read: (answer: HttpAnswer) => Promise<T>;
}

export interface HttpAnswer {
  status: number;
  /** The URL answered, after redirects, without secrets. */
  url: string;
  headers: TransportAnswer['headers'];
  body: Readable;
}

export interface HttpClient {
  get<T>(url: string, options: GetOptions<T>): Promise<T>;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The one HTTP client of the feed and the images, on Node's fetch: an undici Agent as
 * dispatcher for every origin but the endpoint's (so the guarded lookup stays undici's), and
 * nock sees every request. Redirects are followed here, hop by hop, so each hop meets the rules.
 */
export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const logger = deps.logger ?? silentLogger;
  const random = deps.random ?? Math.random;
  return {
    get<T>(url: string, options: GetOptions<T>): Promise<T> {
      const context = { what: options.what, url: stripSecrets(url), logger, signal: deps.signal, random };
      return withRetries(() => attempt(url, options, deps, logger), options, context);
    },
  };
}

async function attempt<T>(url: string, options: GetOptions<T>, deps: HttpClientDeps, logger: Logger): Promise<T> {
  const timer = new IdleTimer(options.timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timer.signal]) : timer.signal;
  try {
    const { response, shownUrl } = await follow(url, options, deps, signal, timer, logger);
    const { status, headers } = response;
    if ((status < 200 || status >= 300) && !options.acceptStatus?.(status)) {
      await discardBody(response, shownUrl, logger);
      const retryAfterMs = parseRetryAfter(
        headers.get('retry-after') ?? undefined,
        deps.now(),
        options.maxRetryAfterMs,
      );
      throw new HttpError(`HTTP ${status}`, {
        url: shownUrl,
        kind: 'status',
        retryable: isRetryableStatus(status),
        status,
        retryAfterMs,
      });
    }
    const declared = contentLength(headers);
    if (declared !== undefined && declared > options.maxBytes) {
      await discardBody(response, shownUrl, logger);
      throw new BodyTooLargeError({ url: shownUrl, maxBytes: options.maxBytes });
    }
    const describe = (error: unknown) => transportError(error, shownUrl, 'body', timer, options.timeoutMs, deps.signal);
    const body = cappedBody(response.body, { url: shownUrl, maxBytes: options.maxBytes }, timer, describe, logger);
    try {
      return await options.read({ status, url: shownUrl, headers, body });
    } finally {
      body.destroy();
    }
  } finally {
    timer.clear();
  }
}

/** The declared Content-Length, when it is one whole number. */
function contentLength(headers: TransportAnswer['headers']): number | undefined {
  const text = headers.get('content-length')?.trim() ?? '';
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** Sends the GET and follows redirects, each hop under the rules; returns the first answer that is not a redirect. */
async function follow(
  url: string,
  options: GetOptions<unknown>,
  deps: HttpClientDeps,
  signal: AbortSignal,
  timer: IdleTimer,
  logger: Logger,
): Promise<{ response: TransportAnswer; shownUrl: string }> {
  let target = parseUrl(url, stripSecrets(url));
  for (let redirects = 0; ; redirects++) {
    const trusted = options.trustedOrigin !== undefined && target.origin === options.trustedOrigin;
    if (trusted)
      for (const [name, value] of Object.entries(options.secretQuery ?? {})) target.searchParams.set(name, value);
    const shownUrl = stripSecrets(target);
    checkHop(target, shownUrl, trusted, options, deps.allowPrivateNetworks);
    timer.touch();
    const response = await send(
      target,
      trusted ? deps.dispatcher : await resolveDispatcher(deps.guardedDispatcher),
      options,
      signal,
      timer,
      deps.signal,
    );
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    if (location === null) return { response, shownUrl };
    await discardBody(response, shownUrl, logger);
    if (redirects >= MAX_REDIRECTS) {
      throw new HttpError(`more than ${MAX_REDIRECTS} redirects`, {
        url: shownUrl,
        kind: 'refused',
        status: response.status,
      });
    }
    target = parseUrl(location, shownUrl, target);
    // A key the server wrote into the Location is not ours to pass on; the trusted origin gets ours again above.
    for (const name of Object.keys(options.secretQuery ?? {})) target.searchParams.delete(name);
  }
}

async function send(
  target: URL,
  dispatcher: Dispatcher | undefined,
  options: GetOptions<unknown>,
  signal: AbortSignal,
  timer: IdleTimer,
  stop: AbortSignal | undefined,
): Promise<TransportAnswer> {
  const headers = { 'user-agent': 'dropmark-sync', ...options.headers };
  try {
    if (!dispatcher) return await nodeGet(target, headers, signal);
    // npm undici's Agent, handed to Node's bundled fetch: its types differ, its dispatch interface does not.
    const init = { method: 'GET', headers, redirect: 'manual', signal, dispatcher } as unknown as RequestInit;
    return await globalThis.fetch(target.href, init);
  } catch (error) {
    throw transportError(error, stripSecrets(target), 'headers', timer, options.timeoutMs, stop);
  }
}

/** The rules every hop meets: http(s) only, the caller's rule, and no private IP literal for an untrusted origin. */
function checkHop(
  target: URL,
  shownUrl: string,
  trusted: boolean,
  options: GetOptions<unknown>,
  allowPrivate: boolean,
): void {
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new HttpError(`${target.protocol} URLs are refused (${shownUrl}); only http and https are followed`, {
      url: shownUrl,
      kind: 'refused',
    });
  }
  options.checkHop?.(target);
  // A name is checked on the address it resolves to, in the guarded lookup; an IP literal here.
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!trusted && !allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw new HttpError(
      `${host} is a private or local address; ` +
        `refused (${shownUrl}; set http.allowPrivateNetworks: true only if it really lives there)`,
      { url: shownUrl, kind: 'refused' },
    );
  }
}

function parseUrl(text: string, shownUrl: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch (error) {
    const what = base ? `a redirect from ${shownUrl} to something that is not a URL` : `${shownUrl} is not a URL`;
    throw new HttpError(`${what}; refused`, { url: shownUrl, kind: 'refused', cause: error });
  }
}

/**
 * A failure of the transport as an HttpError; a stop or the deadline is passed on as it is,
 * and so is an error of ours (a refused address the guarded lookup found comes as EPRIVATEADDR).
 */
function transportError(
  error: unknown,
  url: string,
  phase: 'headers' | 'body',
  timer: IdleTimer,
  timeoutMs: number,
  stop: AbortSignal | undefined,
): unknown {
  if (stop?.aborted) return stop.reason;
  if (error instanceof HttpError) return error;
  const host = new URL(url).host;
  if (timer.fired) {
    const code = phase === 'headers' ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_BODY_TIMEOUT';
    const message = `no answer from ${host} within ${timeoutMs} ms`;
    return new HttpError(message, { url, kind: 'timeout', retryable: true, code, cause: error });
  }
  const code = errorCode(error);
  if (code === 'EPRIVATEADDR')
    return new HttpError(redactText(innerMessage(error)), { url, kind: 'refused', code, cause: error });
  const what = phase === 'headers' ? `request to ${host} failed` : `the answer from ${host} was cut off`;
  // The transport's own text could quote the URL it was given, key and all.
  return new HttpError(`${what} (${code ?? redactText(innerMessage(error))})`, {
    url,
    kind: 'network',
    retryable: isRetryableCode(code),
    code,
    cause: error,
  });
}

/**
 * The attempt's timeout: restarted when a hop is sent and on every body chunk, like undici's headers and body
 * timeouts.
 */
class IdleTimer implements ProgressTimer {
  private readonly controller = new AbortController();
  private handle: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly ms: number) {}
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get fired(): boolean {
    return this.controller.signal.aborted;
  }
  touch(): void {
    clearTimeout(this.handle);
    if (this.fired) return;
    this.handle = setTimeout(() => this.controller.abort(new Error(`no progress within ${this.ms} ms`)), this.ms);
  }
  clear(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
  }
}
