import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHttpClient, type DispatcherSource } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import type { Logger } from '../log.js';
import { sniffImage, sniffUpload, type ImageType } from './sniff.js';
import { checkSvg, SvgRefusedError, type SvgPolicy } from './svg.js';
import { ImageError } from './image-error.js';
import { hopRefusal } from './refusal.js';
import { isExpired } from './url.js';

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
  /**
   * Set for an uploaded file (files.*): its bytes must be one of these types (extensions, as
   * file-type identifies the bytes), and the size cap is files.maxBytes. Unset: an image.
   */
  files?: { types: readonly string[] } | undefined;
}

export interface DownloadDeps {
  /** Must be the guarded dispatcher (createGuardedDispatcher), or how to make it: it checks resolved addresses. */
  dispatcher: DispatcherSource;
  now: () => number;
  signal?: AbortSignal | undefined;
  sink: ImageSink;
  /** For retries (warn) and dropped bodies (debug); silent when absent. */
  logger?: Logger | undefined;
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

/**
 * Downloads one image whose URL came from the feed, so every rule applies to it: scheme,
 * allowed hosts, no private addresses (IP literals in the client, resolved names in the
 * dispatcher's lookup), the same for every redirect, a size cap enforced while streaming,
 * and bytes that must be an image (an SVG only as options.svg allows, rebuilt from an allow-list).
 */
export async function downloadImage(
  url: string,
  options: DownloadOptions,
  deps: DownloadDeps,
): Promise<DownloadedImage> {
  if (isExpired(url, deps.now())) throw new ImageError('the signed URL has expired', { expired: true });
  // No origin is trusted: every hop, the first too, goes through the guarded dispatcher.
  const { dispatcher, ...rest } = deps;
  const client = createHttpClient({
    ...rest,
    guardedDispatcher: dispatcher,
    allowPrivateNetworks: options.allowPrivateNetworks,
  });
  try {
    return await client.get(url, {
      ...options,
      what: options.files ? 'file' : 'image',
      headers: { accept: options.files ? '*/*' : 'image/*' },
      checkHop: (target) => checkTarget(target, options),
      read: (answer) => receive(answer.body, options, deps.sink),
    });
  } catch (error) {
    if (error instanceof HttpError) throw imageError(error, options);
    throw error;
  }
}

function imageError(error: HttpError, options: DownloadOptions): ImageError {
  if (error.status === 403)
    return new ImageError('HTTP 403 (the signed URL has probably expired)', { expired: true, cause: error });
  const cap = options.files
    ? 'the file is larger than %d bytes (files.maxBytes)'
    : 'the image is larger than %d bytes (images.maxBytes)';
  if (error.kind === 'too-large') {
    const key = options.files ? 'files.maxBytes' : 'images.maxBytes';
    const message = cap.replace('%d', String(options.maxBytes));
    return ImageError.byConfig({ message, key, policy: false }, { cause: error });
  }
  // A name that resolves to a private address: refused by http.allowPrivateNetworks, not by the server.
  if (error.code === 'EPRIVATEADDR')
    return ImageError.byConfig(
      { message: error.message, key: 'http.allowPrivateNetworks', policy: false },
      { cause: error },
    );
  return new ImageError(error.message, { retryable: error.retryable, retryAfterMs: error.retryAfterMs, cause: error });
}

/** The config's rules for every hop (the client checks http(s) only and private IP literals again). */
function checkTarget(target: URL, options: DownloadOptions): void {
  const refusal = hopRefusal(target, options);
  if (refusal) throw ImageError.byConfig(refusal);
}

/**
 * Streams the body into a staged file while counting, hashing and keeping the first bytes for
 * the sniff: memory stays flat whatever the image's size. A body over the cap, a transport
 * error or bytes that are not an image leave no staged file behind.
 */
async function receive(body: Readable, options: DownloadOptions, sink: ImageSink): Promise<DownloadedImage> {
  const staged = sink.create();
  try {
    const meter = new Meter(options.files ? FILE_SNIFF_BYTES : SNIFF_BYTES);
    await pipeline(body, meter, staged.stream);
    if (options.files) {
      const sniffed = await sniffUpload(meter.head(), options.files.types);
      if ('refused' in sniffed)
        throw ImageError.byConfig({
          message: `refused: ${sniffed.refused}`,
          key: 'files.types',
          policy: sniffed.excluded,
        });
      return { path: staged.path, sha256: meter.sha256(), size: meter.size, type: sniffed.type };
    }
    const type = sniffImage(meter.head());
    if (!type) throw new ImageError('the answer is not an image (JPEG, PNG, GIF, WebP or SVG)');
    if (type.ext === '.svg') return await sanitizeStaged(staged.path, options, sink, type);
    return { path: staged.path, sha256: meter.sha256(), size: meter.size, type };
  } catch (error) {
    await sink.discard(staged.path);
    throw error;
  }
}

/** An SVG is read whole (it is capped like any image) and replaced by the sanitized copy, or refused. */
async function sanitizeStaged(
  path: string,
  options: DownloadOptions,
  sink: ImageSink,
  type: ImageType,
): Promise<DownloadedImage> {
  let clean: Buffer;
  try {
    clean = await checkSvg(await readFile(path), options.svg);
  } catch (error) {
    if (!(error instanceof SvgRefusedError)) throw error;
    // Under images.svg: refuse every SVG is the owner's choice; under sanitize, one that cannot be cleaned is not.
    const policy = options.svg === 'refuse';
    throw ImageError.byConfig({ message: `SVG refused: ${error.message}`, key: 'images.svg', policy });
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

const SNIFF_BYTES = 4096;
/** file-type reads a few kilobytes for most types; a zip-based document (docx, epub) names its kind further in. */
const FILE_SNIFF_BYTES = 64 * 1024;

/** Passes bytes through while counting, hashing and keeping the first few (the client's body enforces the cap). */
class Meter extends Transform {
  size = 0;
  constructor(private readonly keep: number) {
    super();
  }
  private readonly hash = createHash('sha256');
  private readonly first: Buffer[] = [];
  private firstLength = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.firstLength < this.keep) {
      const part = chunk.subarray(0, this.keep - this.firstLength);
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
