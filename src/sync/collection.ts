import path from 'node:path';
import { applyOps } from '../apply/apply.js';
import type { CollectionConfig, Config } from '../config/schema.js';
import { describeSystemError, DropmarkSyncError } from '../errors.js';
import { fetchFeed, type FetchDeps, type Validators } from '../feed/client.js';
import { parseFeed } from '../feed/parse.js';
import { toRfc3339Utc } from '../map/dates.js';
import { cleanTitle, mapItem } from '../map/item.js';
import type { PreviousPost } from '../map/post.js';
import { assignSlugs } from '../map/unique-slugs.js';
import { plan, toFileOps, type WantedFile } from '../plan/post-plan.js';
import { parseManifest, type ImageManifest } from '../images/manifest.js';
import { mirrorImages, type MirrorResult } from '../images/mirror.js';
import { manifestAfterFailures, planImages, type ImagePlan } from '../plan/image-plan.js';
import { NO_STAGING, stageInSite, type Staging } from '../apply/staging.js';
import { earliestRetry, nextBackoff, type ImageBackoff } from '../images/backoff.js';
import { imageFailuresFile, loadImageFailures, saveImageFailures } from '../state/image-failures.js';
import { hashImages, readImageDir, type ImageDirSnapshot } from '../site/image-dir.js';
import type { FeedItem } from '../feed/parse.js';
import { redactText, stripSecrets } from '../redact.js';
import { renderPost } from '../render/post.js';
import { siteFingerprint } from '../site/fingerprint.js';
import { findStrayTemps, readSite, readSiteText, type ExistingFile } from '../site/read.js';
import { bodiesPath, bodyHash, parseBodies, serializeBodies } from '../state/bodies.js';
import { changeRecords } from '../report/changes.js';
import { renderDiff, type TextFileChange } from '../report/diff.js';
import { configKey, feedHash, loadFeedState, saveFeedState, stateFile, type FeedState } from '../state/feed-cache.js';
import { emptyCollectionSummary, type CollectionSummary, type ItemFailure } from '../summary.js';
import type { SyncDeps, SyncOptions } from './run.js';
import { VERSION } from '../version.js';

export interface RunControl {
  /** Aborts network work: a stop request, the deadline, or a hard abort. */
  networkSignal: AbortSignal;
  /** Asked between file writes. */
  shouldStop: () => boolean;
  /** Why the run stops, once it does: 'stop' (a clean stop) or 'abort' (deadline, hard abort). */
  stopKind: () => 'stop' | 'abort' | undefined;
}

/**
 * One collection's pass: fetch (conditionally), read the site, map, render, plan, apply,
 * and remember what a later poll needs. Never throws for the collection's own failure.
 */
export async function syncCollection(
  config: Config,
  collection: CollectionConfig,
  deps: SyncDeps,
  options: SyncOptions,
  control: RunControl,
): Promise<CollectionSummary> {
  // Downloads are staged until the apply step moves them into place; the rest is removed here.
  const resources: { staging?: Staging } = {};
  try {
    return await passCollection(config, collection, deps, options, control, resources);
  } finally {
    await resources.staging?.close().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not remove staged downloads'));
  }
}

async function passCollection(
  config: Config,
  collection: CollectionConfig,
  deps: SyncDeps,
  options: SyncOptions,
  control: RunControl,
  resources: { staging?: Staging },
): Promise<CollectionSummary> {
  const feedUrl = stripSecrets(collection.endpoint);
  const summary = emptyCollectionSummary(feedUrl);
  const apiKey = deps.env['DROPMARK_API_KEY'] || undefined;
  const log = deps.logger;
  const cacheFile = stateFile(config.cacheDir, config.siteDir, collection.contentDir, feedUrl);
  // Re-signed thumbnail URLs only matter when they are written into the files.
  const signaturesMatter = collection.images.mode === 'remote';
  const key = configKey({ version: VERSION, collection, feedUrl });
  // An image deleted by hand must be noticed like a post edited by hand.
  const ownedImageDir = collection.images.mode === 'local' ? collection.images.dir : undefined;
  const fetchDeps: FetchDeps = {
    dispatcher: deps.dispatcher,
    guardedDispatcher: deps.guardedDispatcher as NonNullable<SyncDeps['guardedDispatcher']>,
    allowPrivateNetworks: config.http.allowPrivateNetworks,
    logger: log,
    now: () => deps.now().getTime(),
    apiKey,
    signal: control.networkSignal,
  };

  try {
    const state = options.full || options.dryRun ? undefined : await loadFeedState(cacheFile);
    const fingerprintBefore = state ? await siteFingerprint(config.siteDir, collection.contentDir, ownedImageDir) : undefined;
    // The cache is trusted only for the same job on a site nobody touched since, and not once a missing image is due again.
    const trusted =
      state && state.key === key && state.siteFingerprint === fingerprintBefore && !imagesDue(state, deps.now(), options) ? state : undefined;

    const fetched = await fetchFeed(
      collection.endpoint,
      config.http,
      fetchDeps,
      trusted ? { etag: trusted.etag, lastModified: trusted.lastModified } : undefined,
    );
    if (fetched.notModified && trusted) {
      summary.result = 'not-modified';
      summary.unchanged = trusted.files;
      summary.skipped = trusted.skipped ?? 0;
      recordImageMisses(summary, trusted.imagesMissing ?? [], collection.images.onError);
      log.info({ endpoint: feedUrl }, 'feed not modified (HTTP 304): nothing to do');
      return summary;
    }
    if (fetched.notModified) throw new DropmarkSyncError(`${feedUrl}: HTTP 304 to a request that was not conditional`);
    const hash = feedHash(fetched.body, !signaturesMatter);
    if (trusted && trusted.feedHash === hash) {
      summary.result = 'unchanged-feed';
      summary.unchanged = trusted.files;
      summary.skipped = trusted.skipped ?? 0;
      recordImageMisses(summary, trusted.imagesMissing ?? [], collection.images.onError);
      log.info({ endpoint: feedUrl }, 'feed unchanged since the last sync (signatures aside): nothing to do');
      if (!options.dryRun) await remember(cacheFile, { ...trusted, ...definedValidators(fetched.validators) }, log);
      return summary;
    }

    const feed = parseFeed(fetched.body, feedUrl);
    for (const warning of feed.warnings) log.warn({ endpoint: feedUrl }, warning);
    log.info({ endpoint: feedUrl, items: feed.items.length }, 'feed fetched');

    const site = await readSite(config.siteDir, collection.contentDir);
    for (const warning of site.warnings) log.warn({ contentDir: collection.contentDir }, warning);

    const existingById = new Map<string, ExistingFile>();
    for (const file of site.files) {
      if (file.id !== undefined && !existingById.has(file.id)) existingById.set(file.id, file);
    }
    // An owned file whose YAML is broken keeps its item: the item fails by name, no second file is made.
    const brokenById = new Map<string, { relPath: string; reason: string }>();
    for (const file of site.unreadable) if (file.id !== undefined && !existingById.has(file.id)) brokenById.set(file.id, file);
    const lockedIds = new Set([...existingById.values()].filter((f) => f.locked).map((f) => f.id as string));
    const feedIds = new Set(feed.items.map((i) => i.id));
    const slugs = assignSlugs(feed.items, {
      existingById: new Map([
        ...[...existingById].map(([id, f]) => [id, f.name] as const),
        ...[...brokenById].map(([id, f]) => [id, path.posix.basename(f.relPath, '.md')] as const),
      ]),
      taken: new Set([...site.files.filter((f) => f.id === undefined || !feedIds.has(f.id)).map((f) => f.name), ...site.blocked]),
      mode: collection.slugs,
      locked: lockedIds,
    });

    const imageDir = collection.images.dir.split(path.sep).join('/').replace(/\/+$/, '');
    const manifestPath = collection.images.manifest as string;
    let mirrored: MirrorResult | undefined;
    let imageDirState: ImageDirSnapshot | undefined;
    let manifestBefore: ImageManifest = { files: {} };
    let imageStrays: string[] = [];
    let imageRetryAt: string | undefined;
    if (collection.images.mode === 'local') {
      imageDirState = await readImageDir(config.siteDir, imageDir, manifestPath);
      manifestBefore = parseManifest(imageDirState.manifestText);
      // Found before this run stages its own downloads there.
      imageStrays = await findStrayTemps(config.siteDir, [imageDir]);
      const staging = options.dryRun ? NO_STAGING : await stageInSite(config.siteDir, imageDir);
      resources.staging = staging;
      const unlocked = feed.items.filter((i) => !lockedIds.has(i.id) && !brokenById.has(i.id));
      const failuresFile = imageFailuresFile(cacheFile);
      const backoff = await loadImageFailures(failuresFile, log);
      mirrored = await mirrorFeedImages(config, collection, unlocked, slugs, imageDirState, manifestBefore, { ...deps, sink: staging }, fetchDeps, {
        backoff,
        ignoreBackoff: options.retryImages === true,
        dryRun: options.dryRun === true,
      });
      recordImageMisses(summary, mirrored.failures, collection.images.onError);
      const after = nextBackoff(backoff, { failed: mirrored.failedRequests, succeeded: mirrored.succeeded, inFeed: mirrored.identities }, deps.now());
      imageRetryAt = earliestRetry(after);
      if (!options.dryRun) await saveBackoff(failuresFile, backoff, after, log);
    }

    const bodiesFile = bodiesPath(collection.contentDir);
    const bodiesBefore = await readSiteText(config.siteDir, bodiesFile);
    const recordedBodies = parseBodies(bodiesBefore);
    const bodies = new Map<string, string>();

    const now = deps.now();
    const relDir = collection.contentDir.split(path.sep).join('/').replace(/\/+$/, '');
    const wanted: WantedFile[] = [];
    const keepIds = new Set<string>();
    // An item that fails keeps its file as it is, and the body hash recorded for it.
    const failItem = (item: FeedItem, reason: string, file?: string) => {
      keepIds.add(item.id);
      const recorded = recordedBodies.get(item.id);
      if (recorded !== undefined) bodies.set(item.id, recorded);
      summary.failures.push({ itemId: item.id, ...(file ? { file } : {}), reason });
      // Told once, in the summary; here only for a debug trace.
      log.debug({ itemId: item.id, title: cleanTitle(item.name), ...(file ? { file } : {}) }, reason);
    };
    for (const item of feed.items) {
      const slug = slugs.get(item.id) as string;
      const existing = existingById.get(item.id);
      const broken = brokenById.get(item.id);
      if (broken) {
        failItem(item, `${broken.relPath}: ${broken.reason}; repair or delete the file, and the next sync updates it`, broken.relPath);
        continue;
      }
      try {
        const post = mapItem(
          item,
          slug,
          { feedUrl, imageMode: collection.images.mode, now },
          previousValues(existing),
          mirrored?.featuredImage.get(item.id),
        );
        const upstream = bodyHash(post.body);
        bodies.set(item.id, upstream);
        // The file's body differs, and the feed's body is the one written last time: a person edited it.
        if (existing?.body !== undefined && existing.body !== post.body && recordedBodies.get(item.id) === upstream) {
          post.body = existing.body;
        }
        wanted.push({
          id: item.id,
          relPath: `${relDir}/${slug}.md`,
          text: renderPost(post, existing?.extraKeys, existing?.text),
          title: post.fields.title,
          link: post.fields.link,
          editUrl: post.fields['dropmark.editURL'],
        });
      } catch (error) {
        if (!(error instanceof DropmarkSyncError)) throw error;
        failItem(item, error.message);
      }
    }
    if (collection.deletions === 'keep') {
      for (const [id, hash] of recordedBodies) if (!bodies.has(id) && existingById.has(id)) bodies.set(id, hash);
    }

    const wantedIds = new Set(wanted.map((w) => w.id));
    const planned = plan(wanted, site.files, {
      deletions: collection.deletions,
      allowMassDelete: options.allowMassDelete ?? false,
      feedItemCount: feed.items.length,
      keepIds,
    });
    if (planned.refusal) {
      summary.result = 'failed';
      summary.error = `${feedUrl}: refused: ${planned.refusal}. Nothing was changed`;
      return summary;
    }
    let imagePlan: ImagePlan = { changes: [], manifest: { files: {} } };
    if (mirrored && imageDirState) {
      const prefix = collection.images.urlPrefix.replace(/\/+$/, '');
      const referenced = new Set<string>();
      const refer = (value: unknown) => {
        if (typeof value === 'string' && value.startsWith(`${prefix}/`)) referenced.add(value.slice(prefix.length + 1));
      };
      for (const value of mirrored.featuredImage.values()) refer(value);
      // Locked posts keep the images they point to; so do kept posts of vanished items.
      for (const file of site.files) {
        if (file.locked || (collection.deletions === 'keep' && file.id !== undefined && !feedIds.has(file.id))) {
          refer(file.data?.['featuredImage']);
        }
      }
      const hashes = await hashImages(config.siteDir, imageDir, [...mirrored.downloaded.keys()].filter((n) => imageDirState.names.has(n)));
      imagePlan = planImages({
        relDir: imageDir,
        downloaded: mirrored.downloaded,
        before: manifestBefore,
        after: mirrored.manifest,
        present: new Map([...imageDirState.names].map((n) => [n, hashes.get(n) ?? null])),
        referenced,
        removeOrphans: collection.deletions === 'delete',
        manifestRelPath: manifestPath,
        manifestBefore: imageDirState.manifestText,
      });
      summary.imagesDownloaded = options.dryRun ? mirrored.wouldDownload.length : mirrored.downloaded.size;
      if (options.dryRun) summary.wouldDownload = mirrored.wouldDownload.map((d) => ({ relPath: `${imageDir}/${d.name}`, from: d.from, replaces: d.replaces }));
    }
    const stateFilesAfter = (notDone: ReadonlySet<string>): TextFileChange[] =>
      stateFileChanges({
        wanted,
        bodies,
        recordedBodies,
        bodiesFile,
        bodiesBefore,
        imagePlan,
        manifestBefore,
        manifestPath,
        manifestBeforeText: imageDirState?.manifestText,
        notDone,
      });
    const stateFiles = stateFilesAfter(new Set());

    summary.changes = changeRecords(planned.changes, planned.skipped);
    summary.images = imagePlan.changes.map((c) => ({ kind: c.kind, relPath: c.relPath, size: c.size }));
    summary.skipped = planned.skipped.length;
    summary.unchanged = planned.unchanged;
    if (options.dryRun) {
      // Counted as if written; nothing is.
      for (const c of planned.changes) {
        summary[c.kind === 'create' ? 'created' : c.kind === 'update' ? 'updated' : 'deleted']++;
        summary.files.push(c.relPath);
        if (c.kind === 'update' && c.renamedFrom) summary.files.push(c.renamedFrom);
      }
      summary.files.push(...imagePlan.changes.map((c) => c.relPath), ...stateFiles.map((f) => f.relPath));
      summary.files.push(...(summary.wouldDownload ?? []).map((d) => d.relPath));
      if (options.diff) summary.diff = renderDiff(planned.changes, imagePlan.changes, stateFiles, summary.wouldDownload);
      summary.failed = summary.failures.length;
      if (summary.failed > 0) summary.result = 'failed';
      else if (summary.imagesMissing > 0) summary.result = 'degraded';
      return summary;
    }
    if (control.shouldStop()) return stopped(summary, control);
    const stateDirs = [...new Set([path.posix.dirname(bodiesFile), path.posix.dirname(manifestPath)])];
    const strays = await findStrayTemps(config.siteDir, stateDirs);
    const applyOptions = {
      ...(deps.fs ? { fs: deps.fs } : {}),
      shouldStop: control.shouldStop,
      ...(deps.beforeCommit ? { beforeCommit: deps.beforeCommit } : {}),
    };
    const contentApplied = await applyOps(config.siteDir, toFileOps(planned.changes, imagePlan.changes), {
      ...applyOptions,
      strayTempFiles: [...site.strayTempFiles, ...imageStrays, ...strays],
    });
    // The state files are written last and describe what really is on disk: a file that could
    // not be written keeps its old record, so the next run tries it again as an upstream change.
    const missed = new Set(contentApplied.failed.map((f) => f.relPath));
    const stateApplied = contentApplied.stopped
      ? { written: [], deleted: [], failed: [], stopped: true }
      : await applyOps(config.siteDir, toFileOps([], [], stateFilesAfter(missed).map((f) => ({ relPath: f.relPath, text: f.after ?? '' }))), applyOptions);
    const applied = {
      written: [...contentApplied.written, ...stateApplied.written],
      deleted: [...contentApplied.deleted, ...stateApplied.deleted],
      failed: [...contentApplied.failed, ...stateApplied.failed],
      stopped: contentApplied.stopped || stateApplied.stopped,
    };
    const done = new Set([...applied.written, ...applied.deleted]);
    for (const change of planned.changes) {
      if (!done.has(change.relPath)) continue;
      summary[change.kind === 'create' ? 'created' : change.kind === 'update' ? 'updated' : 'deleted']++;
      summary.files.push(change.relPath);
      if (change.kind === 'update' && change.renamedFrom && done.has(change.renamedFrom)) {
        summary.files.push(change.renamedFrom);
      }
    }
    for (const change of imagePlan.changes) if (done.has(change.relPath)) summary.files.push(change.relPath);
    for (const f of [bodiesFile, manifestPath]) if (done.has(f)) summary.files.push(f);
    summary.failures.push(...applied.failed.map((f) => ({ file: f.relPath, reason: f.reason })));
    for (const failure of applied.failed) log.debug({ file: failure.relPath }, `cannot write: ${failure.reason}`);
    summary.failed = summary.failures.length;
    if (applied.stopped) return stopped(summary, control);
    if (summary.failed > 0) {
      summary.result = 'failed';
      return summary;
    }
    if (summary.imagesMissing > 0) summary.result = 'degraded';
    // Only a complete pass may let the next poll skip work (a degraded one until its images are due again).
    await remember(cacheFile, {
      key,
      ...definedValidators(fetched.validators),
      feedHash: hash,
      siteFingerprint: await siteFingerprint(config.siteDir, collection.contentDir, ownedImageDir),
      // What a full pass of the same feed on this site would count: locked files it would change stay skipped.
      files: wanted.length - planned.skipped.filter((f) => wantedIds.has(f.id)).length,
      skipped: planned.skipped.length,
      ...(summary.imageFailures.length > 0 ? { imagesMissing: summary.imageFailures.map(({ itemId, reason }) => ({ itemId: itemId ?? '', reason })) } : {}),
      ...(summary.imageFailures.length > 0 && imageRetryAt ? { retryImagesAt: imageRetryAt } : {}),
      savedAt: deps.now().toISOString(),
    }, log);
  } catch (error) {
    if (control.stopKind() !== undefined) return stopped(summary, control);
    summary.result = 'failed';
    const secrets = apiKey ? [apiKey] : [];
    if (error instanceof DropmarkSyncError) {
      summary.error = redactText(error.message, secrets);
    } else {
      // A bug or an unexpected I/O error: still a summary, never a secret in it.
      summary.error = `${feedUrl}: ${redactText((error as Error)?.message ?? String(error), secrets)}`;
      log.debug({ endpoint: feedUrl, err: error }, 'sync failed');
    }
  }
  summary.failed = summary.failures.length;
  return summary;
}

/** Mode local: download what is new while the feed's signatures are valid (one fresh fetch when they are not). */
function mirrorFeedImages(
  config: Config,
  collection: CollectionConfig,
  items: readonly FeedItem[],
  slugs: ReadonlyMap<string, string>,
  dirState: ImageDirSnapshot,
  manifest: ImageManifest,
  deps: SyncDeps & { sink: Staging },
  fetchDeps: FetchDeps,
  policy: { backoff: ImageBackoff; ignoreBackoff: boolean; dryRun: boolean },
): Promise<MirrorResult> {
  const feedUrl = stripSecrets(collection.endpoint);
  return mirrorImages(
    {
      requests: items.map((i) => ({ itemId: i.id, slug: slugs.get(i.id) as string, thumbnail: i.thumbnail })),
      manifest,
      present: dirState.names,
      blocked: dirState.blocked,
      urlPrefix: collection.images.urlPrefix,
      concurrency: config.http.concurrency,
      ...policy,
    },
    {
      allowedHosts: collection.images.allowedHosts,
      allowHttp: collection.images.allowHttp,
      allowPrivateNetworks: config.http.allowPrivateNetworks,
      maxBytes: collection.images.maxBytes,
      timeoutMs: config.http.timeoutMs,
      retries: config.http.retries,
      retryDelayMs: config.http.retryDelayMs,
      maxRetryAfterMs: config.http.maxRetryAfterMs,
      svg: collection.images.svg,
    },
    {
      dispatcher: fetchDeps.guardedDispatcher,
      sink: deps.sink,
      now: fetchDeps.now,
      signal: fetchDeps.signal,
      onProgress: deps.onImageProgress,
      refetchThumbnails: async () => {
        deps.logger.info({ endpoint: feedUrl }, 'image URLs expired; fetching the feed again for fresh ones');
        const again = await fetchFeed(collection.endpoint, config.http, fetchDeps);
        if (again.notModified) return new Map();
        return new Map(parseFeed(again.body, feedUrl).items.map((i) => [i.id, i.thumbnail]));
      },
    },
  );
}

/**
 * Missing images degrade the run (the posts are written without them), unless the config
 * says images.onError: fail. Each is told once: in the summary, and here only at debug level.
 */
function recordImageMisses(summary: CollectionSummary, misses: readonly ItemFailure[], onError: 'degrade' | 'fail'): void {
  (onError === 'fail' ? summary.failures : summary.imageFailures).push(...misses);
  summary.imagesMissing = misses.length;
}

/** A degraded pass's cache stands until its first missing image may be tried again (or --retry-images). */
function imagesDue(state: FeedState, now: Date, options: SyncOptions): boolean {
  if (state.retryImagesAt === undefined) return false;
  return options.retryImages === true || Date.parse(state.retryImagesAt) <= now.getTime();
}

async function saveBackoff(file: string, before: ImageBackoff, after: ImageBackoff, log: SyncDeps['logger']): Promise<void> {
  if (before.size === 0 && after.size === 0) return;
  try {
    await saveImageFailures(file, after);
  } catch (error) {
    // Without it the next run tries the missing images again: a request each, nothing worse.
    log.warn({ file, reason: describeSystemError(error) ?? (error as Error).message }, 'could not save the image failure records');
  }
}

function stopped(summary: CollectionSummary, control: RunControl): CollectionSummary {
  summary.failed = summary.failures.length;
  if (control.stopKind() === 'abort') {
    summary.result = 'failed';
    summary.error ??= `${summary.endpoint}: stopped before the end (deadline or abort); every file is either old or new, and the next sync completes the rest`;
  } else {
    summary.result = 'stopped';
  }
  return summary;
}

function definedValidators(v: Validators): Pick<FeedState, 'etag' | 'lastModified'> {
  return { ...(v.etag ? { etag: v.etag } : {}), ...(v.lastModified ? { lastModified: v.lastModified } : {}) };
}

async function remember(file: string, state: FeedState, log: SyncDeps['logger']): Promise<void> {
  try {
    await saveFeedState(file, state);
  } catch (error) {
    // A cache that cannot be written costs the next poll a full pass, nothing more.
    log.warn({ file, reason: describeSystemError(error) ?? (error as Error).message }, 'could not save the feed cache; the next sync does a full pass');
  }
}

function previousValues(file: ExistingFile | undefined): PreviousPost | undefined {
  if (!file) return undefined;
  const previous: PreviousPost = {};
  if (file.socialScoreSimulated && file.socialScore !== undefined) previous.socialScore = file.socialScore;
  // Only a well-formed date is taken over: it is written unquoted.
  const date = toRfc3339Utc(file.date);
  if (date !== undefined) previous.date = date;
  return previous;
}

interface StateInputs {
  wanted: readonly WantedFile[];
  /** Each item's body hash as the feed gives it now, and as recorded before. */
  bodies: ReadonlyMap<string, string>;
  recordedBodies: ReadonlyMap<string, string>;
  bodiesFile: string;
  bodiesBefore: string | undefined;
  imagePlan: ImagePlan;
  manifestBefore: ImageManifest;
  manifestPath: string;
  manifestBeforeText: string | undefined;
  /** Paths whose planned change was not made. */
  notDone: ReadonlySet<string>;
}

/** The state files (body hashes, image manifest) that describe the site once the changes not in `notDone` are made. */
function stateFileChanges(input: StateInputs): TextFileChange[] {
  const bodies = new Map(input.bodies);
  for (const want of input.wanted) {
    if (!input.notDone.has(want.relPath)) continue;
    const old = input.recordedBodies.get(want.id);
    if (old === undefined) bodies.delete(want.id);
    else bodies.set(want.id, old);
  }
  const files: TextFileChange[] = [];
  const manifestText = manifestAfterFailures(input.imagePlan, input.manifestBefore, input.manifestBeforeText, input.notDone);
  if (manifestText !== undefined) files.push({ relPath: input.manifestPath, before: input.manifestBeforeText, after: manifestText });
  const bodiesText = serializeBodies(bodies);
  if (bodiesText !== (input.bodiesBefore ?? '{}\n')) {
    files.push({ relPath: input.bodiesFile, before: input.bodiesBefore, after: bodiesText });
  }
  return files;
}
