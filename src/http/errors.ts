import { causeOf, DropmarkSyncError } from '../errors.js';

/**
 * What went wrong with a request: `status` (an answer that is not one), `network` (no answer,
 * or a cut-off one), `timeout` (no progress within timeoutMs), `too-large` (the body cap),
 * `refused` (a rule of ours: scheme, address, host, too many redirects).
 */
export type HttpFailureKind = 'status' | 'network' | 'timeout' | 'too-large' | 'refused';

export interface HttpErrorOptions extends ErrorOptions {
  /** The URL asked for, without a key or a password (stripSecrets). */
  url: string;
  kind: HttpFailureKind;
  /** Another attempt could help; false when not said. */
  retryable?: boolean | undefined;
  status?: number | undefined;
  /** The server's Retry-After, already capped, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** The transport's error code (ECONNRESET, UND_ERR_SOCKET, EPRIVATEADDR). */
  code?: string | undefined;
  /** How many attempts were made before this error was final; set by the retry loop. */
  attempts?: number | undefined;
}

/** A request failed. Neither `url` nor the message carries a key or a password. */
export class HttpError extends DropmarkSyncError {
  override name = 'HttpError';
  readonly url: string;
  readonly kind: HttpFailureKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly code: string | undefined;
  attempts: number | undefined;
  constructor(message: string, options: HttpErrorOptions) {
    super(message, causeOf(options));
    this.url = options.url;
    this.kind = options.kind;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
    this.attempts = options.attempts;
  }
}

/** The body was longer than allowed; thrown before more than `maxBytes` are held. */
export class BodyTooLargeError extends HttpError {
  override name = 'BodyTooLargeError';
  readonly maxBytes: number;
  constructor({ url, maxBytes }: { url: string; maxBytes: number }) {
    super(`the answer is larger than ${maxBytes} bytes`, { url, kind: 'too-large' });
    this.maxBytes = maxBytes;
  }
}

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

export function isRetryableCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** The first `code` along the cause chain: fetch wraps undici's error in a TypeError("fetch failed"). */
export function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The innermost message along the cause chain: "fetch failed" says nothing, its cause does. */
export function innerMessage(error: unknown): string {
  let e: unknown = error;
  let message = 'unknown error';
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const text = (e as { message?: unknown }).message;
    if (typeof text === 'string' && text !== '') message = text;
    e = (e as { cause?: unknown }).cause;
  }
  return message;
}
