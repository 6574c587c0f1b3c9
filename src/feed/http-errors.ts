import { FeedError } from '../errors.js';
import type { HttpError } from '../http/errors.js';

/** An HttpError of the feed's GET as the FeedError a person sees: what happened and what to do. */
export function feedError(
  error: HttpError,
  endpoint: string,
  limits: { timeoutMs: number; maxBodyBytes: number },
): FeedError {
  const tries = error.attempts === 1 ? 'its only attempt: http.retries is 0' : `${error.attempts} attempts`;
  const attempts = error.retryable && error.attempts ? ` (gave up after ${tries})` : '';
  return new FeedError(`GET ${endpoint}: ${describe(error, limits)}${attempts}`, {
    url: endpoint,
    status: error.status,
    cause: error,
  });
}

function describe(error: HttpError, limits: { timeoutMs: number; maxBodyBytes: number }): string {
  switch (error.kind) {
    case 'status':
      return statusText(error.status ?? 0);
    case 'network':
    case 'timeout':
      return networkText(error.code, safeHost(error.url), limits.timeoutMs) ?? error.message;
    case 'too-large':
      return (
        `the feed is larger than ${limits.maxBodyBytes} bytes (http.maxBodyBytes). ` +
        'Raise http.maxBodyBytes if the collection really is that large'
      );
    case 'refused':
      return error.message;
  }
}

function networkText(code: string | undefined, host: string, timeoutMs: number): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return `connection to ${host} refused. Check the endpoint URL and that the server is up`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${host} could not be resolved (DNS). Check the endpoint URL and your network`;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return `no answer from ${host} within ${timeoutMs} ms (http.timeoutMs). Try again later or raise http.timeoutMs`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'EPIPE':
      return `the connection to ${host} was cut off before the answer was complete. Try again later`;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return `the answer from ${host} was shorter than announced (truncated). Try again later`;
    default:
      return undefined;
  }
}

function statusText(status: number): string {
  if (status === 401 || status === 403) {
    return (
      `HTTP ${status}: the collection is private or the read key is wrong. ` +
      "Set DROPMARK_API_KEY to the collection's read key"
    );
  }
  if (status === 404 || status === 410)
    return `HTTP ${status}: no such collection. Check the endpoint URL (https://USER.dropmark.com/ID.json)`;
  if (status === 429) return `HTTP 429: the server asks us to slow down. Try again later or poll less often`;
  if (status >= 500) return `HTTP ${status}: the server failed. Try again later`;
  return `HTTP ${status}: unexpected answer`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
