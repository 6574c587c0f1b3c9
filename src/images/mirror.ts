import PQueue from 'p-queue';
import { downloadImage, ImageError, type DownloadDeps, type DownloadOptions } from './download.js';
import { isBackedOff, type ImageBackoff } from './backoff.js';
import type { ImageManifest, ImageRecord } from './manifest.js';
import { imageIdentity, isExpired } from './url.js';

export interface ImageRequest {
  itemId: string;
  slug: string;
  /** The feed's (signed) thumbnail URL, or null when the item has none. */
  thumbnail: string | null;
}

export interface MirrorInput {
  requests: readonly ImageRequest[];
  manifest: ImageManifest;
  /** Names of the files now in the images dir. */
  present: ReadonlySet<string>;
  /** Names taken by something that is not a regular file (a symlink, a folder): never written, never pointed to. */
  blocked: ReadonlySet<string>;
  urlPrefix: string;
  concurrency: number;
  /** Images that failed before, and when each may be tried again. */
  backoff: ImageBackoff;
  /** --retry-images: try every missing image now, whatever the backoff says. */
  ignoreBackoff: boolean;
  /** A dry run: no image is requested; what would be downloaded is listed instead. */
  dryRun: boolean;
}

export interface MirrorDeps extends DownloadDeps {
  /** Fetches the feed again for fresh signatures: item id -> thumbnail URL. Called at most once. */
  refetchThumbnails: () => Promise<Map<string, string | null>>;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface MirrorResult {
  /** featuredImage per item id. */
  featuredImage: Map<string, string>;
  /** Images downloaded in this run, by file name: where each is staged, and its record. */
  downloaded: Map<string, { staged: string; record: ImageRecord }>;
  /** The manifest as it should be after this run (file removals are the caller's to plan). */
  manifest: ImageManifest;
  /** Items whose image is missing after this run (a failed download, or one waiting out its backoff). */
  failures: ImageMiss[];
  /** Image identities requested in this run that failed, with the reason: the backoff's input. */
  failedRequests: Map<string, string>;
  /** Image identities that are on disk now. */
  succeeded: Set<string>;
  /** Every image identity the requests name. */
  identities: Set<string>;
  /** Dry run only: the images a real run would download, and the file each would become. */
  wouldDownload: { itemId: string; name: string; from: string; replaces: boolean }[];
}

export interface ImageMiss {
  itemId: string;
  reason: string;
}

/**
 * Decides, per item, which local image it gets, and downloads what is new while the URLs
 * are still valid. An image whose identity (URL path) the manifest already has on disk is
 * not downloaded again, whatever its signature. An expired signature or a 403 leads to one
 * fresh fetch of the feed, then one more try. An image that cannot be had keeps the item's
 * previous local image, or gives "".
 */
export async function mirrorImages(input: MirrorInput, options: DownloadOptions, deps: MirrorDeps): Promise<MirrorResult> {
  const featuredImage = new Map<string, string>();
  const downloaded = new Map<string, { staged: string; record: ImageRecord }>();
  const files: Record<string, ImageRecord> = { ...input.manifest.files };
  const failures: ImageMiss[] = [];
  const failedRequests = new Map<string, string>();
  const succeeded = new Set<string>();
  const identities = new Set<string>();
  const wouldDownload: MirrorResult['wouldDownload'] = [];
  const now = new Date(deps.now());
  const prefix = input.urlPrefix.replace(/\/+$/, '');
  const bySlug = new Map<string, string>();
  for (const name of Object.keys(files)) bySlug.set(baseOf(name), name);

  const todo: ImageRequest[] = [];
  for (const request of input.requests) {
    featuredImage.set(request.itemId, '');
    if (!request.thumbnail) continue;
    let identity: string;
    try {
      identity = imageIdentity(request.thumbnail);
    } catch {
      failures.push({ itemId: request.itemId, reason: 'image: the thumbnail is not a URL' });
      keepPrevious(request);
      continue;
    }
    identities.add(identity);
    const known = bySlug.get(request.slug);
    if (known && files[known]?.source === identity && input.present.has(known)) {
      featuredImage.set(request.itemId, `${prefix}/${known}`);
      succeeded.add(identity);
      continue;
    }
    const record = input.backoff.get(identity);
    if (!input.ignoreBackoff && isBackedOff(record, now)) {
      failures.push({
        itemId: request.itemId,
        reason: `image ${describeUrl(request.thumbnail)}: failed ${record?.count} time(s) since ${record?.firstFailedAt} ` +
          `(${record?.reason}); not tried again before ${record?.retryAt} (sync --retry-images tries now)`,
      });
      keepPrevious(request);
      continue;
    }
    if (input.dryRun) {
      const name = `${request.slug}${extensionFromUrl(request.thumbnail)}`;
      wouldDownload.push({ itemId: request.itemId, name, from: describeUrl(request.thumbnail), replaces: input.present.has(name) });
      featuredImage.set(request.itemId, `${prefix}/${name}`);
      continue;
    }
    todo.push(request);
  }

  function keepPrevious(request: ImageRequest): void {
    const previous = bySlug.get(request.slug);
    if (previous && input.present.has(previous)) featuredImage.set(request.itemId, `${prefix}/${previous}`);
  }

  const total = todo.length;
  let done = 0;
  const expired: ImageRequest[] = [];
  const queue = new PQueue({ concurrency: input.concurrency });

  const attempt = async (request: ImageRequest, url: string, lastTry: boolean) => {
    try {
      if (isExpired(url, deps.now()) && !lastTry) throw new ImageError('the signed URL has expired', true);
      const image = await downloadImage(url, options, deps);
      // The extension says what the bytes are, whatever the URL claims (a PNG at x.svg is a .png).
      const name = `${request.slug}${image.type.ext}`;
      if (input.blocked.has(name)) {
        await deps.sink.discard(image.path);
        throw new ImageError(`${name} in the images folder is not a regular file (a symbolic link or a folder); remove it`);
      }
      const record: ImageRecord = { source: imageIdentity(url), bytes: image.size, sha256: image.sha256 };
      const old = bySlug.get(request.slug);
      if (old && old !== name) delete files[old];
      files[name] = record;
      downloaded.set(name, { staged: image.path, record });
      succeeded.add(record.source);
      failedRequests.delete(record.source);
      featuredImage.set(request.itemId, `${prefix}/${name}`);
      done++;
      deps.onProgress?.(done, total);
    } catch (error) {
      if (error instanceof ImageError && error.expired && !lastTry) {
        expired.push(request);
        return;
      }
      if (deps.signal?.aborted) throw error;
      done++;
      deps.onProgress?.(done, total);
      const reason = `image ${describeUrl(url)}: ${(error as Error).message}`;
      failures.push({ itemId: request.itemId, reason });
      // Only a request that was made counts against the image; a refusal before any request does too (it will not change).
      failedRequests.set(imageIdentity(url), (error as Error).message);
      keepPrevious(request);
    }
  };

  await Promise.all(todo.map((request) => queue.add(() => attempt(request, request.thumbnail as string, false))));
  if (expired.length > 0) {
    // Signatures die about an hour after the feed was rendered: fetch it once more.
    let fresh: Map<string, string | null> | undefined;
    try {
      fresh = await deps.refetchThumbnails();
    } catch (error) {
      for (const request of expired) {
        failures.push({ itemId: request.itemId, reason: `image: expired, and the feed could not be fetched again (${(error as Error).message})` });
        keepPrevious(request);
      }
    }
    if (fresh) {
      const again = fresh;
      await Promise.all(
        expired.map((request) =>
          queue.add(async () => {
            const url = again.get(request.itemId);
            if (!url) {
              failures.push({ itemId: request.itemId, reason: 'image: expired, and the fresh feed has no thumbnail for the item' });
              keepPrevious(request);
              return;
            }
            await attempt({ ...request, thumbnail: url }, url, true);
          }),
        ),
      );
    }
  }
  return { featuredImage, downloaded, manifest: { files }, failures, failedRequests, succeeded, identities, wouldDownload };
}

/** A dry run cannot sniff bytes it does not fetch: the URL's extension is the best guess of the file's. */
function extensionFromUrl(url: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  if (ext === 'jpeg') return '.jpg';
  return ext && ['jpg', 'png', 'gif', 'webp', 'svg'].includes(ext) ? `.${ext}` : '.jpg';
}

function baseOf(name: string): string {
  return name.replace(/\.[a-z0-9]+$/, '');
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
