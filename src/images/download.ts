import { isIP } from 'node:net';
import pRetry from 'p-retry';
import { request, type Dispatcher } from 'undici';
import { errorCode, isRetryableStatus } from '../feed/http-errors.js';
import { parseRetryAfter } from '../feed/retry-after.js';
import { BodyTooLargeError, readCapped } from '../http/body.js';
import { isPrivateAddress } from './address.js';
import { sniffImage, type ImageType } from './sniff.js';
import { checkSvg, SvgRefusedError, type SvgPolicy } from './svg.js';
import { hostAllowed, isExpired } from './url.js';

export interface DownloadOptions {
  allowedHosts: readonly string[];
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
  maxBytes: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryAfterMs: number;
  svg: SvgPolicy;
}

export interface DownloadDeps {
  /** Must be the guarded dispatcher (createGuardedDispatcher): it checks resolved addresses. */
  dispatcher: Dispatcher;
  now: () => number;
  signal?: AbortSignal | undefined;
}

export interface DownloadedImage {
  bytes: Buffer;
  type: ImageType;
}

/** Why an image could not be had. `expired`: the signature is stale, a fresh feed may help. */
export class ImageError extends Error {
  override name = 'ImageError';
  constructor(
    message: string,
    readonly expired = false,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const MAX_REDIRECTS = 5;

/**
 * Downloads one image whose URL came from the feed, so every rule applies to it: scheme,
 * allowed hosts, no private addresses (IP literals here, resolved names in the dispatcher's
 * lookup), the same for every redirect, a size cap enforced while streaming, and bytes that
 * must be an image (an SVG only as options.svg allows, rebuilt from an allow-list).
 */
export async function downloadImage(url: string, options: DownloadOptions, deps: DownloadDeps): Promise<DownloadedImage> {
  if (isExpired(url, deps.now())) throw new ImageError('the signed URL has expired', true);
  return pRetry(() => downloadOnce(url, options, deps), {
    retries: options.retries,
    minTimeout: options.retryDelayMs,
    factor: 2,
    randomize: true,
    ...(deps.signal ? { signal: deps.signal } : {}),
    shouldRetry: ({ error }) => error instanceof ImageError && error.retryable,
    onFailedAttempt: async ({ error, retriesLeft }) => {
      if (error instanceof ImageError && error.retryable && error.retryAfterMs && retriesLeft > 0) {
        await new Promise((r) => setTimeout(r, error.retryAfterMs));
      }
    },
  });
}

function checkTarget(target: URL, options: DownloadOptions): void {
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && options.allowHttp)) {
    throw new ImageError(`${target.protocol} URLs are refused; images are fetched over https only (images.allowHttp)`);
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!hostAllowed(host, options.allowedHosts)) {
    throw new ImageError(`host ${host} is not in images.allowedHosts`);
  }
  // A name is checked on the address it resolves to, in the dispatcher's lookup; an IP here.
  if (isIP(host) && isPrivateAddress(host) && !options.allowPrivateNetworks) {
    throw new ImageError(`${host} is a private or local address; refused (http.allowPrivateNetworks is false)`);
  }
}

async function downloadOnce(url: string, options: DownloadOptions, deps: DownloadDeps): Promise<DownloadedImage> {
  let target = new URL(url);
  for (let redirects = 0; ; redirects++) {
    checkTarget(target, options);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(target, {
        method: 'GET',
        dispatcher: deps.dispatcher,
        headers: { accept: 'image/*', 'user-agent': 'dropmark-sync' },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EPRIVATEADDR') throw new ImageError((error as Error).message);
      throw new ImageError(`download failed (${code ?? (error as Error).message})`, false, code !== 'ENOTFOUND');
    }
    const { statusCode, headers } = response;
    if ([301, 302, 303, 307, 308].includes(statusCode) && typeof headers.location === 'string') {
      await response.body.dump();
      if (redirects >= MAX_REDIRECTS) throw new ImageError(`more than ${MAX_REDIRECTS} redirects`);
      target = new URL(headers.location, target);
      continue;
    }
    if (statusCode === 403) {
      await response.body.dump();
      throw new ImageError('HTTP 403 (the signed URL has probably expired)', true);
    }
    if (statusCode < 200 || statusCode >= 300) {
      await response.body.dump().catch(() => {});
      const retryAfter = Array.isArray(headers['retry-after']) ? headers['retry-after'][0] : headers['retry-after'];
      throw new ImageError(
        `HTTP ${statusCode}`,
        false,
        isRetryableStatus(statusCode),
        parseRetryAfter(retryAfter, deps.now(), options.maxRetryAfterMs),
      );
    }
    const bytes = await readImageBody(response, options.maxBytes);
    const type = sniffImage(bytes);
    if (!type) throw new ImageError('the answer is not an image (JPEG, PNG, GIF, WebP or SVG)');
    if (type.ext === '.svg') {
      try {
        return { bytes: await checkSvg(bytes, options.svg), type };
      } catch (error) {
        if (error instanceof SvgRefusedError) throw new ImageError(`SVG refused: ${error.message}`);
        throw error;
      }
    }
    return { bytes, type };
  }
}

async function readImageBody(response: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> {
  try {
    return await readCapped(response, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ImageError(`the image is larger than ${maxBytes} bytes (images.maxBytes)`);
    throw new ImageError(`download cut off (${errorCode(error) ?? (error as Error).message})`, false, true);
  }
}
