import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isIP } from 'node:net';
import pRetry from 'p-retry';
import { request, type Dispatcher } from 'undici';
import { errorCode, isRetryableStatus } from '../feed/http-errors.js';
import { parseRetryAfter } from '../feed/retry-after.js';
import { BodyTooLargeError, discard } from '../http/body.js';
import { isPrivateAddress } from '../http/address.js';
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
  sink: ImageSink;
}

/** Where downloads are streamed: staged files beside the images (or, in a dry run, outside the site). */
export interface ImageSink {
  create(): { path: string; stream: Writable };
  /** Removes a staged file that will not be used; no error when it is gone already. */
  discard(path: string): Promise<void>;
}

/** A downloaded image, staged at `path` until the apply step moves it into place or discards it. */
export interface DownloadedImage {
  path: string;
  sha256: string;
  size: number;
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
        await delay(error.retryAfterMs, undefined, deps.signal ? { signal: deps.signal } : {});
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
    return receive(response, options, deps.sink);
  }
}

/**
 * Streams the body into a staged file while counting, hashing and keeping the first bytes for
 * the sniff: memory stays flat whatever the image's size. A body over the cap, a transport
 * error or bytes that are not an image leave no staged file behind.
 */
async function receive(response: Dispatcher.ResponseData, options: DownloadOptions, sink: ImageSink): Promise<DownloadedImage> {
  const declared = Number(headerValue(response.headers['content-length']));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    discard(response.body);
    throw tooLarge(options.maxBytes);
  }
  const staged = sink.create();
  try {
    const meter = new Meter(options.maxBytes);
    await pipeline(response.body, meter, staged.stream);
    const type = sniffImage(meter.head());
    if (!type) throw new ImageError('the answer is not an image (JPEG, PNG, GIF, WebP or SVG)');
    if (type.ext === '.svg') return await sanitizeStaged(staged.path, options, sink, type);
    return { path: staged.path, sha256: meter.sha256(), size: meter.size, type };
  } catch (error) {
    await sink.discard(staged.path);
    if (error instanceof ImageError) throw error;
    if (error instanceof BodyTooLargeError) throw tooLarge(options.maxBytes);
    throw new ImageError(`download cut off (${errorCode(error) ?? (error as Error).message})`, false, true);
  }
}

/** An SVG is read whole (it is capped like any image) and replaced by the sanitized copy, or refused. */
async function sanitizeStaged(path: string, options: DownloadOptions, sink: ImageSink, type: ImageType): Promise<DownloadedImage> {
  let clean: Buffer;
  try {
    clean = await checkSvg(await readFile(path), options.svg);
  } catch (error) {
    if (error instanceof SvgRefusedError) throw new ImageError(`SVG refused: ${error.message}`);
    throw error;
  }
  await sink.discard(path);
  const staged = sink.create();
  try {
    await pipeline(Readable.from([clean]), staged.stream);
  } catch (error) {
    await sink.discard(staged.path);
    throw error;
  }
  return { path: staged.path, sha256: createHash('sha256').update(clean).digest('hex'), size: clean.length, type };
}

const tooLarge = (maxBytes: number) => new ImageError(`the image is larger than ${maxBytes} bytes (images.maxBytes)`);

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const SNIFF_BYTES = 4096;

/** Passes bytes through while counting, hashing and keeping the first few; fails past the cap. */
class Meter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  private readonly first: Buffer[] = [];
  private firstLength = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new BodyTooLargeError());
    this.hash.update(chunk);
    if (this.firstLength < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.firstLength);
      this.first.push(Buffer.from(part));
      this.firstLength += part.length;
    }
    done(null, chunk);
  }
  head(): Buffer {
    return Buffer.concat(this.first);
  }
  sha256(): string {
    return this.hash.digest('hex');
  }
}
