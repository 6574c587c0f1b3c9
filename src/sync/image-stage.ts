import { NO_STAGING, stageInSite, type Staging } from '../fs/staging.js';
import { describeError } from '../errors.js';
import { fetchFeed } from '../feed/client.js';
import { parseFeed } from '../feed/parse.js';
import type { StackLayout } from '../map/stacks.js';
import { currentRecords, earliestRetry, nextBackoff, type ImageBackoff } from '../images/backoff.js';
import { parseManifest, type ImageManifest } from '../images/manifest.js';
import {
  downloadMirror,
  planMirror,
  type ImageRequest,
  type MirrorInput,
  type MirrorResult,
} from '../images/mirror.js';
import { refusalFingerprint } from '../images/refusal.js';
import { planImages, referencedImages, type ImagePlan } from '../plan/image-plan.js';
import { hashImages, readImageDir, stageImageCopy, type ImageDirSnapshot } from '../site/image-dir.js';
import { findStrayTemps } from '../site/read.js';
import { loadImageFailures, saveImageFailures } from '../state/image-failures.js';
import type { ItemFailure } from '../summary.js';
import { mirrorRequests, type MirrorTarget } from './mirror-targets.js';
import type { SiteIndex } from './site-index.js';
import type { CollectionContext } from './types.js';

/** One target's downloads in a pass (images, or uploaded files): what the mirror did, and the folder as it was. */
export interface MirroredImages {
  target: MirrorTarget;
  mirrored: MirrorResult;
  dirState: ImageDirSnapshot;
  manifestBefore: ImageManifest;
  /** Temp files of an interrupted run in the images folder, found before this run staged its own. */
  strays: string[];
  /** Images taken to a renamed post's new name: new name -> the old one, and where its copy is staged. */
  moves: Map<string, { from: string; staged: string }>;
  /** Items whose image is missing after this run. */
  misses: ItemFailure[];
  /** Items whose download the owner's policy refuses (images.svg: refuse, files.types): an info note, not a miss. */
  leftOut: ItemFailure[];
  /** When the first missing image may be tried again. */
  retryAt: string | undefined;
}

/**
 * A target in mode local (undefined: none): downloads what is new while the feed's signatures
 * are valid (one fresh fetch of the feed when they are not), under each failed download's
 * backoff; a dry run requests nothing.
 */
export async function mirrorStage(
  ctx: CollectionContext,
  target: MirrorTarget | undefined,
  { stacks, index }: { stacks: StackLayout; index: SiteIndex },
  resources: { stagings: Staging[] },
): Promise<MirroredImages | undefined> {
  if (target === undefined) return undefined;
  const { config, options } = ctx;
  const dirState = await readImageDir(config.siteDir, target.relDir, target.manifestPath, target.safeName);
  const manifestBefore = parseManifest(dirState.manifestText, target.safeName);
  const strays = await findStrayTemps(config.siteDir, [target.relDir]);
  const staging = options.dryRun ? NO_STAGING : await stageInSite(config.siteDir, target.relDir);
  resources.stagings.push(staging);
  const failuresFile = target.failuresFile;
  // A refusal by another config than today's waits for nothing: allowedHosts fixed is tried at once.
  const rules = refusalFingerprint(target.download);
  const loaded = await loadImageFailures(failuresFile, ctx.log);
  const backoff = currentRecords(loaded, rules);
  const requests = mirrorRequests(stacks, index, target.urlOf, target.fallbackOf);
  const mirrored = await mirror(ctx, target, { requests, dirState, manifest: manifestBefore, sink: staging, backoff });
  const moves = await stageMoves(ctx, target, { mirrored, slugs: index.slugs }, manifestBefore, staging);
  const after = nextBackoff(
    backoff,
    { failed: mirrored.failedRequests, succeeded: mirrored.succeeded, inFeed: mirrored.identities, config: rules },
    ctx.deps.now(),
  );
  if (!options.dryRun) await saveBackoff(ctx, failuresFile, loaded, after);
  return {
    target,
    mirrored,
    dirState,
    manifestBefore,
    strays,
    moves,
    misses: mirrored.failures,
    leftOut: mirrored.leftOut,
    retryAt: earliestRetry(after),
  };
}

/**
 * Copies each image a renamed post takes along to its new name, staged (a dry run copies
 * nothing: its plan is never applied). An image that cannot be copied stays where it is, and
 * its post keeps pointing to it there.
 */
async function stageMoves(
  ctx: CollectionContext,
  target: MirrorTarget,
  { mirrored, slugs }: { mirrored: MirrorResult; slugs: ReadonlyMap<string, string> },
  manifestBefore: ImageManifest,
  staging: Staging,
): Promise<Map<string, { from: string; staged: string; post: string }>> {
  const moves = new Map<string, { from: string; staged: string; post: string }>();
  const prefix = target.urlPrefix.replace(/\/+$/, '');
  for (const [name, { from, itemId }] of mirrored.moved) {
    try {
      const staged = ctx.options.dryRun ? '' : await stageImageCopy(ctx.config.siteDir, target.relDir, from, staging);
      // The post that will point at the new name: while its write fails, the old name stays.
      moves.set(name, { from, staged, post: `${ctx.contentDir}/${slugs.get(itemId) ?? ''}.md` });
    } catch (error) {
      ctx.log.warn(
        { file: `${target.relDir}/${from}`, reason: describeError(error) },
        `could not copy the ${target.what} to ${name} (its post was renamed); the post keeps it under its old name`,
      );
      mirrored.featuredImage.set(itemId, `${prefix}/${from}`);
      const earlier = manifestBefore.files[name];
      if (earlier) mirrored.manifest.files[name] = earlier;
      else delete mirrored.manifest.files[name];
    }
  }
  return moves;
}

function mirror(
  ctx: CollectionContext,
  target: MirrorTarget,
  run: {
    requests: ImageRequest[];
    dirState: ImageDirSnapshot;
    manifest: ImageManifest;
    sink: Staging;
    backoff: ImageBackoff;
  },
): Promise<MirrorResult> {
  const { config, collection, fetchDeps } = ctx;
  const input: MirrorInput = {
    requests: run.requests,
    manifest: run.manifest,
    present: run.dirState.names,
    blocked: run.dirState.blocked,
    urlPrefix: target.urlPrefix,
    concurrency: config.http.concurrency,
    backoff: run.backoff,
    ignoreBackoff: ctx.options.retryImages === true,
    dryRun: ctx.options.dryRun === true,
    what: target.what,
    ...(target.guessExtension ? { guessExtension: target.guessExtension } : {}),
  };
  const plan = planMirror(input, target.download, fetchDeps.now());
  for (const note of plan.notes) ctx.log.info({ itemId: note.itemId, reason: note.reason }, note.message);
  return downloadMirror(plan, input, target.download, {
    dispatcher: fetchDeps.guardedDispatcher,
    logger: ctx.log,
    sink: run.sink,
    now: fetchDeps.now,
    signal: fetchDeps.signal,
    onProgress: ctx.deps.onImageProgress,
    refetchUrls: async () => {
      ctx.log.info({ endpoint: ctx.feedUrl }, `${target.what} URLs expired; fetching the feed again for fresh ones`);
      const again = await fetchFeed(collection.endpoint, config.http, fetchDeps);
      if (again.notModified) return new Map();
      return new Map(parseFeed(again.body, ctx.feedUrl).items.map((i) => [i.id, target.urlOf(i)]));
    },
  });
}

async function saveBackoff(
  ctx: CollectionContext,
  file: string,
  before: ImageBackoff,
  after: ImageBackoff,
): Promise<void> {
  if (before.size === 0 && after.size === 0) return;
  try {
    await saveImageFailures(file, after);
  } catch (error) {
    // Without it the next run tries the missing images again: a request each, nothing worse.
    ctx.log.warn({ file, reason: describeError(error) }, 'could not save the failure records of downloads');
  }
}

/**
 * Which image files to move into place and remove, and the manifest after; nothing outside mode
 * local. `failedIds`: items whose posts stay as they are this run (they keep their images).
 */
export async function planImageStage(
  ctx: CollectionContext,
  images: MirroredImages | undefined,
  index: SiteIndex,
  failedIds: ReadonlySet<string> = new Set(),
): Promise<ImagePlan> {
  if (!images) return { changes: [], manifest: { files: {} } };
  const { mirrored, dirState, target } = images;
  const keep = ctx.collection.deletions === 'keep';
  const untouched = index.site.files.filter(
    (f) => f.locked || (f.id !== undefined && (failedIds.has(f.id) || (keep && !index.feedIds.has(f.id)))),
  );
  const referenced = referencedImages(target.urlPrefix, [
    ...mirrored.featuredImage.values(),
    // Whatever key the profile (or an earlier one) keeps the image under: every top-level value.
    ...untouched.flatMap((f) => Object.values(f.data ?? {})),
  ]);
  // Only images downloaded again over an existing file are hashed: the rest need no reading.
  const again = [...mirrored.downloaded.keys()].filter((n) => dirState.names.has(n));
  const hashes = await hashImages(ctx.config.siteDir, target.relDir, again);
  return planImages({
    relDir: target.relDir,
    downloaded: mirrored.downloaded,
    moved: images.moves,
    before: images.manifestBefore,
    after: mirrored.manifest,
    present: new Map([...dirState.names].map((n) => [n, hashes.get(n) ?? null])),
    referenced,
    removeOrphans: ctx.collection.deletions === 'delete',
    manifestRelPath: target.manifestPath,
    manifestBefore: dirState.manifestText,
  });
}
