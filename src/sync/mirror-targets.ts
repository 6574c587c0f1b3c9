import type { CollectionConfig, HttpConfig } from '../config/schema.js';
import type { FeedItem } from '../feed/parse.js';
import { isUpload, uploadUrl } from '../feed/item-kinds.js';
import type { DownloadOptions } from '../images/download.js';
import { safeFileName, safeName } from '../images/manifest.js';
import { imageFailuresFile } from '../state/image-failures.js';
import { slashed } from './types.js';

/**
 * A folder the tool mirrors downloads into, with its rules: the images (thumbnails, and the
 * originals of uploaded images) or the uploaded files (videos, audio, any other file). One
 * machinery serves both; only what is here differs.
 */
export interface MirrorTarget {
  /** What one download is called in messages and in the config (`images.*`, `files.*`). */
  what: 'image' | 'file';
  /** The folder and the manifest, relative to siteDir, with `/`. */
  relDir: string;
  manifestPath: string;
  urlPrefix: string;
  /** The names the tool may write into the folder (anything else there is never touched). */
  safeName: (name: string) => boolean;
  /** The URL of the item's download of this target's role, in this feed or in a refetched one; null: none. */
  urlOf: (item: FeedItem) => string | null;
  /** What to mirror instead when the download at urlOf is refused or backed off (ImageRequest.fallback). */
  fallbackOf?: (item: FeedItem) => string | null;
  /** The size cap, and which bytes are accepted (files.types for files, images otherwise). */
  download: DownloadOptions;
  /** The backoff records of failed downloads, in the cache. */
  failuresFile: string;
  /** A dry run's guess of the extension from the URL (the bytes are not fetched). */
  guessExtension?: (url: string) => string;
}

/** What the targets of a collection are made from: its settings, the HTTP rules, and its feed state's file. */
interface TargetSettings {
  collection: Pick<CollectionConfig, 'images' | 'files'>;
  http: HttpConfig;
  /** The collection's feed state in cacheDir: the backoff records are kept beside it. */
  cacheFile: string;
}

/**
 * Images, mode local: an item of kind image gets its original (the upload itself), every
 * other item its thumbnail.
 */
export function imageTarget(settings: TargetSettings): MirrorTarget | undefined {
  const { images } = settings.collection;
  if (images.mode !== 'local') return undefined;
  return {
    what: 'image',
    relDir: slashed(images.dir),
    manifestPath: images.manifest as string,
    urlPrefix: images.urlPrefix,
    safeName,
    urlOf: (item) => (item.kind === 'image' ? (uploadUrl(item) ?? item.thumbnail) : item.thumbnail),
    // An original over images.maxBytes, or of a kind no browser shows (HEIC, TIFF): its thumbnail still is one.
    fallbackOf: (item) => (item.kind === 'image' && uploadUrl(item) !== undefined ? item.thumbnail : null),
    download: downloadOptions(settings, images.maxBytes),
    failuresFile: imageFailuresFile(settings.cacheFile),
  };
}

/** Uploaded files other than images (kinds video, audio, other), mode local. */
export function fileTarget(settings: TargetSettings): MirrorTarget | undefined {
  const { files } = settings.collection;
  if (files.mode !== 'local') return undefined;
  return {
    what: 'file',
    relDir: slashed(files.dir),
    manifestPath: files.manifest as string,
    urlPrefix: files.urlPrefix,
    safeName: safeFileName,
    urlOf: (item) => (isUpload(item) && item.kind !== 'image' ? (uploadUrl(item) ?? null) : null),
    download: { ...downloadOptions(settings, files.maxBytes), files: { types: files.types } },
    failuresFile: imageFailuresFile(settings.cacheFile, 'files'),
    guessExtension: (url) => extensionIn(url, files.types),
  };
}

/** Every download obeys images.allowedHosts and images.allowHttp: one list of hosts per collection. */
function downloadOptions({ collection, http }: TargetSettings, maxBytes: number): DownloadOptions {
  return {
    allowedHosts: collection.images.allowedHosts,
    allowHttp: collection.images.allowHttp,
    allowPrivateNetworks: http.allowPrivateNetworks,
    maxBytes,
    timeoutMs: http.timeoutMs,
    retries: http.retries,
    retryDelayMs: http.retryDelayMs,
    maxRetryAfterMs: http.maxRetryAfterMs,
    svg: collection.images.svg,
  };
}

/** The URL's extension when it is one of `types`, else none: a guess only, the bytes decide. */
function extensionIn(url: string, types: readonly string[]): string {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return ext !== undefined && types.includes(ext) ? `.${ext}` : '';
}
