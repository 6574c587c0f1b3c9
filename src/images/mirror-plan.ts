import { isBackedOff, type FailedRequest, type ImageBackoff, type ImageFailureRecord } from './backoff.js';
import type { ImageManifest, ImageRecord } from './manifest.js';
import { urlRefusal, type ConfigRefusal, type RefusalRules } from './refusal.js';
import { imageIdentity } from './url.js';

// The pure half of mirroring (mirror.ts downloads): which item gets which file before any request, and the
// bookkeeping the downloads carry on.

export interface ImageRequest {
  itemId: string;
  slug: string;
  /**
   * The item's file name before this run, when it has a file: its image was named after it, and
   * a renamed post (profile, fileName, follow-title) takes that image along instead of fetching it.
   */
  previous?: string | undefined;
  /**
   * The feed's (signed) URL of what is mirrored for the item (its thumbnail, or the upload
   * itself: the target's role), or null when the item has none.
   */
  url: string | null;
  /**
   * What to mirror instead when the bytes at `url` are refused (too large, no image we take) or it
   * waits out a backoff: an uploaded image's thumbnail, when its original cannot be had.
   */
  fallback?: string | null | undefined;
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
  /** What one download is called in messages: `image` (default) or `file` (uploads, files.*). */
  what?: 'image' | 'file';
  /** A dry run's guess of the extension from the URL (the bytes are not fetched); default: an image's. */
  guessExtension?: (url: string) => string;
}

export interface MirrorResult {
  /** featuredImage per item id. */
  featuredImage: Map<string, string>;
  /** Images downloaded in this run, by file name: where each is staged, and its record. */
  downloaded: Map<string, { staged: string; record: ImageRecord }>;
  /**
   * Images on disk that an item takes to its new name (its post was renamed): new name -> the
   * name whose bytes it gets, and the item. Nothing is requested for them; the caller copies.
   */
  moved: Map<string, { from: string; itemId: string }>;
  /** The manifest as it should be after this run (file removals are the caller's to plan). */
  manifest: ImageManifest;
  /** Items whose image is missing after this run (a failed download, or one waiting out its backoff). */
  failures: ImageMiss[];
  /** Items whose download the owner's own policy refuses (images.svg: refuse, files.types): not missing. */
  leftOut: ImageMiss[];
  /** Image identities requested in this run that failed, with the reason: the backoff's input. */
  failedRequests: Map<string, FailedRequest>;
  /** Image identities that are on disk now. */
  succeeded: Set<string>;
  /** Every image identity the requests name. */
  identities: Set<string>;
  /** Dry run only: the images a real run would download, and the file each would become. */
  wouldDownload: { itemId: string; name: string; from: string; replaces: boolean }[];
  /** Dry run only: the downloads a real run would refuse by its config (no request), and why. */
  wouldRefuse: { itemId: string; name: string; from: string; reason: string }[];
}

export interface ImageMiss {
  itemId: string;
  reason: string;
}

/** Why a request gets no download: a config rule refused it, or it waits out a backoff. */
type Refused = { refusal: ConfigRefusal; url: string } | { record: ImageFailureRecord; url: string };

/** What a target's mirroring comes to before any request: the downloads due, and the rest settled. */
export interface MirrorPlan {
  /** The requests to download, in order (none in a dry run). */
  due: ImageRequest[];
  /**
   * The result as it stands without a download: every request on disk (kept, or moved to a renamed
   * post's name), refused by the config, waiting out a backoff, or in a dry run what it would download.
   */
  settled: MirrorResult;
  /** For the log: downloads the config refuses whose fallback (the thumbnail) is mirrored instead. */
  notes: { itemId: string; reason: string; message: string }[];
}

/**
 * Pure: decides, per item, which local image it gets without a request. An image whose identity
 * (URL path) the manifest already has on disk is not downloaded again, whatever its signature or
 * its name: under another name (a renamed post) it is moved to the item's name. Only then does a
 * backoff count (at `now`): an image on disk is never missing. What is left is due.
 */
export function planMirror(input: MirrorInput, options: RefusalRules, now: number): MirrorPlan {
  const book = new MirrorBook(input, options, now);
  const due = input.requests.map((request) => book.due(request)).filter((r): r is ImageRequest => r !== undefined);
  return { due, settled: book.result(), notes: book.notes };
}

/** One target's bookkeeping: which item gets which file, the manifest, the misses; no request, no file. */
export class MirrorBook {
  readonly featuredImage: Map<string, string>;
  readonly downloaded: Map<string, { staged: string; record: ImageRecord }>;
  readonly moved: Map<string, { from: string; itemId: string }>;
  readonly files: Record<string, ImageRecord>;
  readonly failures: ImageMiss[];
  readonly leftOut: ImageMiss[];
  readonly failedRequests: Map<string, FailedRequest>;
  readonly succeeded: Set<string>;
  readonly identities: Set<string>;
  readonly wouldDownload: MirrorResult['wouldDownload'];
  readonly wouldRefuse: MirrorResult['wouldRefuse'];
  readonly notes: MirrorPlan['notes'] = [];
  readonly what: 'image' | 'file';
  private readonly prefix: string;
  /** Slug -> the image file the tool wrote for it. */
  private readonly bySlug = new Map<string, string>();
  /** Image identity -> a file on disk the tool wrote with its bytes (the first by name). */
  private readonly bySource = new Map<string, string>();

  /** `from`: a result to carry on from (the plan's), copied: the plan stays as it was. */
  constructor(
    private readonly input: MirrorInput,
    private readonly options: RefusalRules,
    private readonly now: number,
    from?: MirrorResult,
  ) {
    this.featuredImage = new Map(from?.featuredImage);
    this.downloaded = new Map(from?.downloaded);
    this.moved = new Map(from?.moved);
    this.files = { ...(from ?? input).manifest.files };
    this.failures = [...(from?.failures ?? [])];
    this.leftOut = [...(from?.leftOut ?? [])];
    this.failedRequests = new Map(from?.failedRequests);
    this.succeeded = new Set(from?.succeeded);
    this.identities = new Set(from?.identities);
    this.wouldDownload = [...(from?.wouldDownload ?? [])];
    this.wouldRefuse = [...(from?.wouldRefuse ?? [])];
    this.prefix = input.urlPrefix.replace(/\/+$/, '');
    this.what = input.what ?? 'image';
    for (const name of Object.keys(input.manifest.files).sort()) {
      this.bySlug.set(baseOf(name), name);
      const source = (input.manifest.files[name] as ImageRecord).source;
      if (input.present.has(name) && !this.bySource.has(source)) this.bySource.set(source, name);
    }
  }

  /**
   * The request to download, or undefined when none is due. One refused by the config or waiting
   * out a backoff gives way to the request's fallback (an upload's thumbnail), if it has one.
   */
  due(request: ImageRequest): ImageRequest | undefined {
    const settled = this.settle(request);
    if (settled === true) return request;
    if (settled === false) return undefined;
    if (request.fallback) {
      if ('refusal' in settled)
        this.notes.push({
          itemId: request.itemId,
          reason: settled.refusal.message,
          message: `${this.what} ${describeUrl(settled.url)} refused by the config; its thumbnail is mirrored instead`,
        });
      return this.due({ ...request, url: request.fallback, fallback: undefined });
    }
    if ('refusal' in settled) this.refuse(request, settled.url, settled.refusal);
    else this.waiting(request, settled.url, settled.record);
    return undefined;
  }

  /**
   * Settles what needs no request (no URL, on disk, a dry run); true when a download is due,
   * what stops it when the config refuses it or it waits out a backoff. The config is asked
   * before the backoff: its answer costs no request, and follows a changed config at once.
   */
  private settle(request: ImageRequest): boolean | Refused {
    this.featuredImage.set(request.itemId, '');
    if (!request.url) return false;
    let identity: string;
    try {
      identity = imageIdentity(request.url);
    } catch {
      this.miss(request, `${this.what}: the feed's URL is not a URL`);
      return false;
    }
    this.identities.add(identity);
    const onDisk = this.onDisk(request, identity);
    if (onDisk) {
      this.carry(request, onDisk);
      this.succeeded.add(identity);
      return false;
    }
    const refusal = urlRefusal(request.url, this.options);
    if (refusal) return { refusal, url: request.url };
    const record = this.input.backoff.get(identity);
    if (record && !this.input.ignoreBackoff && isBackedOff(record, new Date(this.now))) {
      return { record, url: request.url };
    }
    if (!this.input.dryRun) return true;
    const name = this.guessName(request, request.url);
    this.wouldDownload.push({
      itemId: request.itemId,
      name,
      from: describeUrl(request.url),
      replaces: this.input.present.has(name),
    });
    this.point(request, name);
    return false;
  }

  /** Refused by the config, unasked: the same in a dry run, which says so. Never a backoff: it costs nothing. */
  private refuse(request: ImageRequest, url: string, refusal: ConfigRefusal): void {
    const would = this.input.dryRun ? 'would refuse: ' : '';
    if (this.input.dryRun) {
      const name = this.guessName(request, url);
      this.wouldRefuse.push({ itemId: request.itemId, name, from: describeUrl(url), reason: refusal.message });
    }
    const reason = `${would}${this.what} ${describeUrl(url)}: ${refusal.message}`;
    this.miss(request, reason, refusal.policy ? this.leftOut : this.failures);
  }

  private waiting(request: ImageRequest, url: string, record: ImageFailureRecord): void {
    this.miss(
      request,
      `${this.what} ${describeUrl(url)}: failed ${record.count} time(s) since ${record.firstFailedAt} ` +
        `(${record.reason}); not tried again before ${record.retryAt} (sync --retry-images tries now)`,
      record.policy ? this.leftOut : this.failures,
    );
  }

  private guessName(request: ImageRequest, url: string): string {
    return `${request.slug}${(this.input.guessExtension ?? extensionFromUrl)(url)}`;
  }

  /** Whether the name is taken by something that is not a regular file: never written, never pointed to. */
  blocks(name: string): boolean {
    return this.input.blocked.has(name);
  }

  /** A download staged under `name`: the item's image, recorded in the manifest (its old name's record goes). */
  record(request: ImageRequest, name: string, staged: string, record: ImageRecord): void {
    const old = this.bySlug.get(request.slug);
    if (old && old !== name) delete this.files[old];
    this.files[name] = record;
    this.downloaded.set(name, { staged, record });
    this.succeeded.add(record.source);
    this.failedRequests.delete(record.source);
    this.point(request, name);
  }

  result(): MirrorResult {
    const { featuredImage, downloaded, moved, files, failures, failedRequests, succeeded, identities } = this;
    return {
      featuredImage,
      downloaded,
      moved,
      manifest: { files },
      failures,
      leftOut: this.leftOut,
      failedRequests,
      succeeded,
      identities,
      wouldDownload: this.wouldDownload,
      wouldRefuse: this.wouldRefuse,
    };
  }

  /**
   * The file on disk that holds this image, as the tool wrote it: under the item's name, under
   * its name before this run (a renamed post), or under any name (a run killed between moving an
   * image and recording it; another item with the same image).
   */
  private onDisk(request: ImageRequest, identity: string): string | undefined {
    const previous = request.previous === undefined ? undefined : this.bySlug.get(request.previous);
    for (const name of [this.bySlug.get(request.slug), previous, this.bySource.get(identity)]) {
      const record = name === undefined ? undefined : this.input.manifest.files[name];
      if (name !== undefined && record?.source === identity && this.input.present.has(name)) return name;
    }
    return undefined;
  }

  /**
   * The item gets the image file `name`: moved to the item's own name when it has another one
   * (the post was renamed), or kept where it is when that name is taken by something else.
   * Every name looked at is one the manifest lists and the folder holds, before this run.
   */
  private carry(request: ImageRequest, name: string): void {
    const target = `${request.slug}${name.slice(baseOf(name).length)}`;
    if (target === name || this.input.blocked.has(target)) {
      this.point(request, name);
      return;
    }
    // The record of the bytes on disk before this run: another item may be downloading to `name` now.
    this.files[target] = (this.input.manifest.files[name] ?? this.files[name]) as ImageRecord;
    this.moved.set(target, { from: name, itemId: request.itemId });
    this.point(request, target);
  }

  /** The item's image is missing: it keeps its previous local image (under its new name), if that is still there. */
  miss(request: ImageRequest, reason: string, list: ImageMiss[] = this.failures): void {
    list.push({ itemId: request.itemId, reason });
    const renamed = request.previous === undefined ? undefined : this.bySlug.get(request.previous);
    const previous = [this.bySlug.get(request.slug), renamed].find((n) => n !== undefined && this.input.present.has(n));
    if (previous) this.carry(request, previous);
  }

  private point(request: ImageRequest, name: string): void {
    this.featuredImage.set(request.itemId, `${this.prefix}/${name}`);
  }
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

export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
