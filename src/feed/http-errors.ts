import { FeedError } from '../errors.js';

/** Statuses that say "try again later"; every other 4xx is final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Network error codes worth another attempt. A name that does not resolve (ENOTFOUND) is final. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** A FeedError that also says whether another attempt could help and how long to wait first. */
export class AttemptError extends FeedError {
  constructor(
    message: string,
    url: string,
    readonly retryable: boolean,
    status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, url, status, options);
  }
}

export function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns a transport failure into a message a person can act on. */
export function networkFailure(error: unknown, url: string, timeoutMs: number): AttemptError {
  const code = errorCode(error);
  const host = safeHost(url);
  let what: string;
  switch (code) {
    case 'ECONNREFUSED':
      what = `connection to ${host} refused. Check the endpoint URL and that the server is up`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      what = `the host name ${host} could not be resolved (DNS). Check the endpoint URL and your network`;
      break;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      what = `no answer from ${host} within ${timeoutMs} ms (http.timeoutMs). Try again later or raise http.timeoutMs`;
      break;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'EPIPE':
      what = `the connection to ${host} was cut off before the answer was complete. Try again later`;
      break;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      what = `the answer from ${host} was shorter than announced (truncated). Try again later`;
      break;
    default:
      what = `request to ${host} failed (${code ?? (error as Error)?.message ?? 'unknown error'})`;
  }
  return new AttemptError(what, url, code !== undefined && RETRYABLE_CODES.has(code), undefined, undefined, {
    cause: error,
  });
}

export function statusFailure(status: number, url: string, retryAfterMs: number | undefined): AttemptError {
  let what: string;
  if (status === 401 || status === 403) {
    what = `HTTP ${status}: the collection is private or the read key is wrong. Set DROPMARK_API_KEY to the collection's read key`;
  } else if (status === 404 || status === 410) {
    what = `HTTP ${status}: no such collection. Check the endpoint URL (https://USER.dropmark.com/ID.json)`;
  } else if (status === 429) {
    what = `HTTP 429: the server asks us to slow down. Try again later or poll less often`;
  } else if (status >= 500) {
    what = `HTTP ${status}: the server failed. Try again later`;
  } else {
    what = `HTTP ${status}: unexpected answer`;
  }
  return new AttemptError(what, url, isRetryableStatus(status), status, retryAfterMs);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
