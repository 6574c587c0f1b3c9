import type { CollectionConfig, HttpConfig } from '../config/schema.js';
import type { FeedItem } from '../feed/parse.js';
import { isUpload, uploadUrl } from '../feed/item-kinds.js';
import type { DownloadOptions } from '../images/download.js';
import { safeFileName, safeName } from '../images/manifest.js';
import type { ImageRequest } from '../images/mirror.js';
import type { StackLayout } from '../map/stacks.js';
import { imageFailuresFile } from '../state/image-failures.js';
import type { SiteIndex } from './site-index.js';
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

/**
 * Pure: what the target mirrors for the feed. A post's download is named after its file; an
 * item listed in a stack's post (stacks: list) has no file of its own, and its download is
 * named after the stack's file and its own id (`<stack name>-<id>`). Items whose file the pass
 * leaves alone (locked, broken) are left out; the items of a locked stack are not (its post shows them).
 */
export function mirrorRequests(
  layout: StackLayout,
  index: Pick<SiteIndex, 'slugs' | 'existingById' | 'lockedIds' | 'brokenById'>,
  urlOf: (item: FeedItem) => string | null,
  fallbackOf: (item: FeedItem) => string | null = () => null,
): ImageRequest[] {
  const request = (item: FeedItem, slug: string, previous: string | undefined): ImageRequest => {
    const fallback = fallbackOf(item);
    return { itemId: item.id, slug, previous, url: urlOf(item), ...(fallback ? { fallback } : {}) };
  };
  const leftAlone = (id: string) => index.lockedIds.has(id) || index.brokenById.has(id);
  const requests: ImageRequest[] = [];
  for (const item of layout.posts) {
    const slug = index.slugs.get(item.id);
    if (slug === undefined || leftAlone(item.id)) continue;
    requests.push(request(item, slug, index.existingById.get(item.id)?.name));
  }
  // A locked stack's post still shows its items' images: they are asked for (no request for what is on disk), or
  // they would be removed as no post's.
  for (const [stackId, children] of layout.children) {
    const slug = index.slugs.get(stackId);
    if (slug === undefined) continue;
    const previous = index.existingById.get(stackId)?.name;
    for (const child of children) {
      if (leftAlone(child.id)) continue;
      requests.push(
        request(child, `${slug}-${child.id}`, previous === undefined ? undefined : `${previous}-${child.id}`),
      );
    }
  }
  return requests;
}
