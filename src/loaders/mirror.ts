import path from 'node:path';
import { applyOps } from '../apply/apply.js';
import type { CollectionConfig, HttpConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { FeedItem } from '../feed/parse.js';
import { nameKey } from '../frontmatter/file-names.js';
import { stageInSite } from '../fs/staging.js';
import type { DispatcherSource } from '../http/client.js';
import type { DownloadOptions } from '../images/download.js';
import { ImageError } from '../images/image-error.js';
import type { ImageRecord } from '../images/manifest.js';
import { downloadMirror } from '../images/mirror.js';
import { planMirror, type ImageRequest, type MirrorResult } from '../images/mirror-plan.js';
import type { Logger } from '../log.js';
import { planImages, referencedImages, type ImageChange } from '../plan/image-plan.js';
import type { FileOp } from '../plan/post-plan.js';
import { hashImages, listImageDir, stageRenamedCopies } from '../site/image-dir.js';
import { fileTarget, imageTarget, type MirrorTarget } from '../sync/mirror-targets.js';

/**
 * A loader's downloads: each item's image (and upload) fetched under the same rules as a sync's
 * (src/images/: allowed hosts, the guarded agent, the size cap, the bytes sniffed, SVG refused or
 * rebuilt) into a folder of the site that the generator serves as it is, so that no page points at
 * a signed URL that expires. Only files the record (`before`) says the loader wrote are ever removed.
 */

/** One folder of downloads: the images, or the uploaded files. */
export interface MirrorSpec {
  what: 'image' | 'file';
  /** The folder, relative to the project's root, with `/`. */
  relDir: string;
  urlPrefix: string;
  safeName: (name: string) => boolean;
  urlOf: (item: FeedItem) => string | null;
  fallbackOf: (item: FeedItem) => string | null;
  download: DownloadOptions;
}

/**
 * The folders of the collection in mode local: images (an uploaded image's original, else the thumbnail), files.
 * The same targets, with the same rules, as a sync's (sync/mirror-targets.ts); the loader keeps no backoff records.
 */
export function mirrorSpecs(
  collection: CollectionConfig,
  http: HttpConfig,
): { images?: MirrorSpec; files?: MirrorSpec } {
  const settings = { collection, http, cacheFile: '' };
  const specOf = (target: MirrorTarget | undefined): MirrorSpec | undefined =>
    target && {
      what: target.what,
      relDir: target.relDir,
      urlPrefix: target.urlPrefix,
      safeName: target.safeName,
      urlOf: target.urlOf,
      fallbackOf: target.fallbackOf ?? (() => null),
      download: target.download,
    };
  const images = specOf(imageTarget(settings));
  const files = specOf(fileTarget(settings));
  return { ...(images ? { images } : {}), ...(files ? { files } : {}) };
}

/**
 * What the folder gets for the posts: a post's download is named after the post's name, an item
 * listed in a stack's post after the stack's name and its own id. `previous`: the names the posts
 * had last time, so a renamed post takes its file along instead of fetching it again.
 */
export function mirrorRequests(
  posts: { items: readonly FeedItem[]; children: ReadonlyMap<string, readonly FeedItem[]> },
  names: ReadonlyMap<string, string>,
  previous: ReadonlyMap<string, string>,
  spec: Pick<MirrorSpec, 'urlOf' | 'fallbackOf'>,
): ImageRequest[] {
  const request = (item: FeedItem, slug: string, before: string | undefined): ImageRequest => {
    const fallback = spec.fallbackOf(item);
    return { itemId: item.id, slug, previous: before, url: spec.urlOf(item), ...(fallback ? { fallback } : {}) };
  };
  const requests: ImageRequest[] = [];
  for (const item of posts.items) {
    const name = names.get(item.id);
    if (name === undefined) continue;
    const before = previous.get(item.id);
    requests.push(request(item, name, before));
    for (const child of posts.children.get(item.id) ?? [])
      requests.push(request(child, `${name}-${child.id}`, before === undefined ? undefined : `${before}-${child.id}`));
  }
  return requests;
}

/** Folder -> the feed whose downloads it holds, in this process: two collections never share one. */
const owners = new Map<string, string>();

/**
 * Claims the folder for the collection of `feedUrl`. Two collections in one folder would write each
 * other's files under one name (two posts of one slug), so the second is refused, naming the first.
 */
export function claimFolder(root: string, spec: Pick<MirrorSpec, 'what' | 'relDir'>, feedUrl: string): void {
  const folder = nameKey(path.resolve(root, spec.relDir));
  const other = owners.get(folder);
  if (other !== undefined && other !== feedUrl) {
    const key = spec.what === 'image' ? 'images' : 'files';
    throw new ConfigError(
      `${key}.dir: ${spec.relDir} holds the ${spec.what}s of the collection ${other} too; give each collection ` +
        `its own ${key}.dir and ${key}.urlPrefix (a dev server that ran with another endpoint: restart it)`,
      { keyPath: `${key}.dir` },
    );
  }
  owners.set(folder, feedUrl);
}

interface MirrorRun {
  /** The project's root folder: every path is inside it. */
  root: string;
  requests: readonly ImageRequest[];
  /** The files the loader wrote into the folder, as it left them last time. */
  before: Readonly<Record<string, ImageRecord>>;
  /** Files no post points to any more are removed (not while the feed is partial). */
  removeOrphans: boolean;
}

export interface MirrorDeps {
  /** The guarded dispatcher: every download's address is checked (no private network unless allowed). */
  dispatcher: DispatcherSource;
  logger: Logger;
  now: () => number;
  concurrency: number;
  /** The feed fetched again for fresh signatures: item id -> this folder's URL of it. */
  refetchUrls: () => Promise<Map<string, string | null>>;
}

interface Mirrored {
  /** Item id -> the site path of its download ("" when it has none). */
  paths: Map<string, string>;
  /** The files the loader wrote into the folder, after this run. */
  files: Record<string, ImageRecord>;
  /** Items whose download is missing, and why. */
  misses: { itemId: string; reason: string }[];
}

/** Downloads what is new, puts it in place, removes what no post points to; nothing else in the folder is touched. */
export async function mirrorInto(spec: MirrorSpec, run: MirrorRun, deps: MirrorDeps): Promise<Mirrored> {
  const staging = await stageInSite(run.root, spec.relDir);
  try {
    const present = await listImageDir(run.root, spec.relDir, spec.safeName);
    const input = {
      requests: run.requests,
      manifest: { files: { ...run.before } },
      present: present.names,
      blocked: present.blocked,
      urlPrefix: spec.urlPrefix,
      concurrency: deps.concurrency,
      backoff: new Map(),
      ignoreBackoff: true,
      dryRun: false,
      what: spec.what,
    };
    const plan = planMirror(input, spec.download, deps.now());
    const mirrored = await downloadMirror(plan, input, spec.download, {
      dispatcher: deps.dispatcher,
      logger: deps.logger,
      sink: staging,
      now: deps.now,
      refetchUrls: deps.refetchUrls,
    });
    const moved = await stageRenamedCopies(run.root, spec, { mirrored, staging, log: deps.logger });
    const files = await putInPlace(spec, run, { mirrored, moved, present: present.names });
    return { paths: mirrored.featuredImage, files, misses: [...mirrored.failures, ...mirrored.leftOut] };
  } finally {
    await staging
      .close()
      .catch((error: unknown) => deps.logger.warn({ err: error }, `could not remove staged ${spec.what}s`));
  }
}

/** The plan of a sync's images stage, applied: downloads and moves first, removals after. */
async function putInPlace(
  spec: MirrorSpec,
  run: MirrorRun,
  step: { mirrored: MirrorResult; moved: Map<string, { from: string; staged: string }>; present: Set<string> },
): Promise<Record<string, ImageRecord>> {
  const { mirrored } = step;
  const again = [...mirrored.downloaded.keys()].filter((n) => step.present.has(n));
  const hashes = await hashImages(run.root, spec.relDir, again);
  const plan = planImages({
    relDir: spec.relDir,
    downloaded: mirrored.downloaded,
    moved: step.moved,
    before: { files: { ...run.before } },
    after: mirrored.manifest,
    present: new Map([...step.present].map((n) => [n, hashes.get(n) ?? null])),
    referenced: referencedImages(spec.urlPrefix, mirrored.featuredImage.values()),
    removeOrphans: run.removeOrphans,
    manifestRelPath: '',
    manifestBefore: undefined,
  });
  const result = await applyOps(run.root, plan.changes.flatMap(opsOf));
  const removals = new Set(
    plan.changes.flatMap((c) => (c.kind === 'delete' ? [c.relPath] : c.kind === 'move' ? [c.from] : [])),
  );
  const notWritten = result.failed.filter((f) => !removals.has(f.relPath));
  if (notWritten.length > 0) {
    const lines = notWritten.map((f) => `${f.relPath}: ${f.reason}`).join('; ');
    throw new ImageError(`could not write the ${spec.what}s into ${spec.relDir} (${lines}); check the folder`);
  }
  // A file that could not be removed stays the loader's: it is tried again next time.
  const files = { ...plan.manifest.files };
  for (const failed of result.failed) {
    const name = failed.relPath.slice(spec.relDir.length + 1);
    const record = run.before[name];
    if (record) files[name] = record;
  }
  return files;
}

function opsOf(change: ImageChange): FileOp[] {
  if (change.kind === 'delete') return [{ phase: 1, op: 'delete', relPath: change.relPath }];
  const put: FileOp = { phase: 0, op: 'move', relPath: change.relPath, from: change.staged };
  if (change.kind !== 'move') return [put];
  return [put, { phase: 1, op: 'delete', relPath: change.from, unlessFailed: [change.relPath] }];
}
