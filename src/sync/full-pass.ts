import type { ParsedFeed } from '../feed/parse.js';
import { shapeOf } from '../frontmatter/profiles.js';
import type { Staging } from '../fs/staging.js';
import { partialFeed, stackLayout, wholeStackPosts, type StackLayout } from '../map/stacks.js';
import { collectionFingerprint } from '../site/fingerprint.js';
import {
  keptKeysMessage,
  partialFeedMessage,
  summarizePass,
  type CollectionSummary,
  type DownloadFacts,
  type ItemFailure,
  type PassFacts,
} from '../summary.js';
import { applyPass, dryRunOutcome } from './apply-stage.js';
import { changeRecords, postTextChanges } from './change-records.js';
import { downloadStage, dryRunDownloads } from './download-stage.js';
import { announceFeed, definedValidators, remember, type FeedHandover, type FetchedCollection } from './feed-stage.js';
import { fileTarget, imageTarget } from './mirror-targets.js';
import type { MirroredFolder, PassPlan, PlanSettings, PostFeed } from './stage-results.js';
import { planDownloads } from './download-plan.js';
import { planStage } from './plan-stage.js';
import { renderStage, type RenderedPosts } from './render-posts.js';
import { readStage, readWholeFiles, type PassRead } from './read-stage.js';
import { textsNeeded } from './file-texts.js';
import { slashed, type CollectionRun } from './types.js';

type ChangedFeed = Extract<FetchedCollection, { kind: 'changed' }>;
type Downloads = { images: MirroredFolder | undefined; files: MirroredFolder | undefined };

/**
 * A feed that changed (parsed already) -> its posts (stacks) -> the stages of the pass:
 * read (read-stage.ts) -> plan downloads (plan-stage.ts, pure) -> download into staging
 * (download-stage.ts; not in a dry run) -> render and plan (plan-stage.ts, pure) -> apply
 * (apply-stage.ts; not in a dry run) -> summarize (summary.ts) -> remember (feed-stage.ts).
 * Throws what the collection's pass cannot survive; syncCollection turns it into the summary.
 */
export async function fullPass(run: CollectionRun, fetched: ChangedFeed): Promise<CollectionSummary> {
  // Downloads are staged until the apply step moves them into place; the rest is removed here.
  const resources: { stagings: Staging[] } = { stagings: [] };
  try {
    return await passStages(run, fetched, resources);
  } finally {
    for (const staging of resources.stagings)
      await staging
        .close()
        .catch((error: unknown) => run.log.warn({ err: error }, 'could not remove staged downloads'));
  }
}

async function passStages(
  run: CollectionRun,
  fetched: ChangedFeed,
  resources: { stagings: Staging[] },
): Promise<CollectionSummary> {
  const { options } = run;
  // 1-4. Read, downloads, render and plan. The feed is let go when they are through: nothing after needs it.
  const planned = await planPass(run, fetched.feed, resources);
  const { pass, partial } = planned;
  // 5. Apply: the writes into the site; a dry run counts every planned change as made.
  const outcome = options.dryRun ? dryRunOutcome(pass) : await applyPass(applySettings(run), pass);
  // 6. Summarize, then 7. remember (a complete real pass only).
  const summary = summarizePass(summaryRun(run), passFacts(planned), outcome);
  if (partial) summary.partialFeed = partial;
  if (options.dryRun) return summary;
  // A partial answer is no state to build on: the next poll reads the feed again, and deletes once it is whole.
  const complete = (summary.result === 'ok' || summary.result === 'degraded') && !partial;
  if (complete) await rememberPass(run, fetched, planned, summary);
  return summary;
}

/** What a pass has planned, without the feed: what its apply step, summary and record of the pass need. */
interface PlannedPass {
  posts: RenderedPosts;
  pass: PassPlan;
  /** The read, with the files the plan compares or removes held whole. */
  read: PassRead;
  downloads: Downloads;
  downloadFacts: DownloadFacts | undefined;
  partial: ReturnType<typeof partialFeed>;
}

/**
 * The stages up to the plan. The feed, the pass's largest value, is taken here (not by the caller, whose frame would
 * hold it through the apply step) and held by no one once this returns.
 */
async function planPass(
  run: CollectionRun,
  handover: FeedHandover,
  resources: { stagings: Staging[] },
): Promise<PlannedPass> {
  const { options, log } = run;
  const feed = handover.take();
  announceFeed(run.source, feed);
  const partial = options.allowPartialFeed ? undefined : partialFeed(feed);
  if (partial) log.warn({ endpoint: run.source.feedUrl, ...partial }, partialFeedMessage(partial));
  // The whole layout: a list-mode stack's items have no post, but its post shows their images and files.
  const layout = stackLayout(feed.items, run.collection.stacks);
  const stacks = postsOf(feed, layout, partial !== undefined);
  // 1. Read: the content folder, the state files beside it, the download folders and their failure records.
  const read = await readStage(contentFolder(run), stacks.feed, mirrorTargets(run), { now: run.deps.now(), log });
  // 2. Plan the downloads (pure): what each item gets without a request, and which requests are due.
  const wanted = downloadPlans(run, read, layout);
  // 3. Download (the effects before the writes): into staging, never into place; a dry run requests nothing.
  const downloads = options.dryRun
    ? dryRunDownloads(wanted, { ...placesOf(run, read), now: run.deps.now() })
    : await downloadStage(wanted, downloadSettings(run, read), resources);
  // 4. Render and plan (pure): every post, every change to make, the state files after them.
  const settings = planSettings(run, partial !== undefined);
  const { posts, read: whole } = await renderWhole(run, settings, { feed, stacks, read }, downloads);
  logPosts(run, posts);
  const pass = planStage(settings, { read: whole, posts, postCount: stacks.feed.items.length }, downloads);
  for (const u of pass.postPlan.unreadable ?? [])
    log.warn({ file: u.relPath }, `${u.relPath}: ${u.reason}; left alone`);
  return { posts, pass, read: whole, downloads, downloadFacts: downloadFacts(feed, downloads), partial };
}

/**
 * Every post rendered, and the read with every file the plan compares or removes held whole: the site was read
 * compact (site/read.ts), so the posts that are not their files as they are wait for their files to be read again
 * (file-texts.ts), then are rendered with them.
 */
async function renderWhole(
  run: CollectionRun,
  settings: PlanSettings,
  stages: { feed: ParsedFeed; stacks: PostFeed; read: PassRead },
  downloads: Downloads,
): Promise<{ posts: RenderedPosts; read: PassRead }> {
  const first = renderStage(settings, stages, downloads);
  const read = await readWholeFiles(run.siteDir, stages.read, textsNeeded(stages.read.index, first));
  if (first.pending.length === 0) return { posts: first, read };
  return { posts: renderStage(settings, { ...stages, read }, downloads, first), read };
}

/**
 * The feed as its posts (map/stacks.ts): in mode list a stack's items are in its post and have no
 * file of their own (an earlier one goes as a vanished item's does); in mode flatten a stack has none.
 * `feed` stays the whole feed: what it counts and hashes is Dropmark's.
 */
function postsOf(feed: ParsedFeed, layout: StackLayout, partial: boolean): PostFeed {
  if (!partial) return { feed: { ...feed, items: layout.posts }, children: layout.children };
  // A partial pass deletes nothing: the posts it holds back keep their files.
  return { feed: { ...feed, items: wholeStackPosts(feed, layout) }, children: new Map() };
}

const contentFolder = (run: CollectionRun) => ({
  siteDir: run.siteDir,
  contentDir: run.collection.contentDir,
  slugs: run.collection.slugs,
  shape: shapeOf(run.collection),
});

function mirrorTargets(run: CollectionRun) {
  const settings = { collection: run.collection, http: run.source.http, cacheFile: run.cache.file };
  return { images: imageTarget(settings), files: fileTarget(settings) };
}

function downloadPlans(run: CollectionRun, read: PassRead, layout: StackLayout) {
  const how = {
    retryImages: run.options.retryImages === true,
    dryRun: run.options.dryRun === true,
    concurrency: run.source.http.concurrency,
    now: run.deps.now(),
  };
  const plans = {
    images: planDownloads(read.images, { layout, index: read.index }, how),
    files: planDownloads(read.files, { layout, index: read.index }, how),
  };
  for (const note of [...(plans.images?.plan.notes ?? []), ...(plans.files?.plan.notes ?? [])])
    run.log.info({ itemId: note.itemId, reason: note.reason }, note.message);
  return plans;
}

/** The content folder as the pass's paths write it, and each item's file name: where a moved image's post is. */
const placesOf = (run: CollectionRun, read: PassRead) => ({
  contentDir: slashed(run.collection.contentDir),
  slugs: read.index.slugs,
});

const downloadSettings = (run: CollectionRun, read: PassRead) => ({
  ...placesOf(run, read),
  siteDir: run.siteDir,
  source: run.source,
  now: () => run.deps.now(),
  log: run.log,
  onProgress: run.deps.onImageProgress,
});

/**
 * The settings of the pure stages, taken after the downloads (the clock dates an item without
 * a date). A partial feed plans as with `deletions: keep`: posts and images of the items it
 * does not list stay (the missing ones may still be in Dropmark), what it lists is written.
 */
function planSettings(run: CollectionRun, partial: boolean): PlanSettings {
  const { collection } = run;
  return {
    feedUrl: run.source.feedUrl,
    contentDir: slashed(collection.contentDir),
    imageMode: collection.images.mode,
    manifestPath: collection.images.manifest as string,
    deletions: partial ? 'keep' : collection.deletions,
    allowMassDelete: run.options.allowMassDelete ?? false,
    now: run.deps.now(),
  };
}

/** The render's warnings and kept keys, at warn; the items that failed are told by the summary (here at debug). */
function logPosts({ log }: CollectionRun, posts: RenderedPosts): void {
  for (const w of posts.warnings) log.warn({ itemId: w.itemId }, w.message);
  for (const f of posts.failures) log.debug({ itemId: f.itemId, ...(f.file ? { file: f.file } : {}) }, f.reason);
  for (const k of posts.keptKeys) log.warn({ file: k.file, keys: k.keys }, keptKeysMessage(k));
}

const applySettings = (run: CollectionRun) => ({
  siteDir: run.siteDir,
  shouldStop: run.control.shouldStop,
  log: run.log,
  fs: run.deps.fs,
});

const summaryRun = (run: CollectionRun) => ({
  endpoint: run.source.feedUrl,
  onError: run.collection.images.onError,
  stop: run.control.stopKind(),
  dryRun: run.options.dryRun === true,
  diff: run.options.diff === true,
});

/** What the summary reads of the pass: the plan's changes as records and texts, what the downloads missed. */
function passFacts({ read, posts, pass, downloadFacts: downloads }: PlannedPass): PassFacts {
  const { postPlan } = pass;
  // Uploaded files are downloads like images: counted and listed with them, under their own folder.
  const images = [...pass.imagePlan.changes, ...pass.filePlan.changes].map((c) => ({
    kind: c.kind,
    relPath: c.relPath,
    size: c.size,
    ...('from' in c ? { from: c.from } : {}),
  }));
  return {
    changes: changeRecords(postPlan.changes, postPlan.skipped),
    unchanged: postPlan.unchanged,
    images,
    postTexts: postTextChanges(postPlan.changes),
    stateFiles: pass.stateFiles,
    duplicates: read.index.duplicates,
    keptKeys: posts.keptKeys,
    failures: posts.failures,
    downloads,
  };
}

function downloadFacts(feed: ParsedFeed, downloads: Downloads): DownloadFacts | undefined {
  const folders = [downloads.images, downloads.files].filter((t) => t !== undefined);
  if (folders.length === 0) return undefined;
  // Named by their titles too: a person knows a post by its title, not its id.
  const titles = new Map(feed.items.map((i) => [i.id, i.name ?? '']));
  const titled = (f: ItemFailure) => {
    const title = f.itemId === undefined ? undefined : titles.get(f.itemId);
    return title ? { ...f, title } : f;
  };
  const under = ({ folder }: MirroredFolder, name: string) => `${folder.target.relDir}/${name}`;
  return {
    misses: folders.flatMap((t) => t.mirrored.failures.map(titled)),
    leftOut: folders.flatMap((t) => t.mirrored.leftOut.map(titled)),
    downloaded: folders.reduce((n, t) => n + t.mirrored.downloaded.size, 0),
    wouldDownload: folders.flatMap((t) =>
      t.mirrored.wouldDownload.map((d) => ({ relPath: under(t, d.name), from: d.from, replaces: d.replaces })),
    ),
    wouldRefuse: folders.flatMap((t) =>
      t.mirrored.wouldRefuse.map((d) => ({ relPath: under(t, d.name), from: d.from, reason: d.reason })),
    ),
  };
}

/** Only a complete pass may let the next poll skip work (a degraded one until its images are due again). */
async function rememberPass(
  run: CollectionRun,
  fetched: ChangedFeed,
  { posts, pass, downloads }: PlannedPass,
  summary: CollectionSummary,
): Promise<void> {
  const wantedIds = new Set(posts.wanted.map((w) => w.id));
  const missing = summary.imageFailures.map(({ itemId, title, reason }) => ({
    itemId: itemId ?? '',
    ...(title ? { title } : {}),
    reason,
  }));
  const retryAt = [downloads.images?.retryAt, downloads.files?.retryAt].filter((t) => t !== undefined).sort()[0];
  await remember(run.cache, {
    key: run.cache.key,
    ...definedValidators(fetched.validators),
    feedHash: fetched.hash,
    siteFingerprint: await collectionFingerprint(run.siteDir, run.collection, { env: run.deps.env, logger: run.log }),
    // What a full pass of the same feed on this site would count: locked files it would change stay skipped.
    files: posts.wanted.length - pass.postPlan.skipped.filter((f) => wantedIds.has(f.id)).length,
    skipped: pass.postPlan.skipped.length,
    ...(missing.length > 0 ? { imagesMissing: missing } : {}),
    ...(missing.length > 0 && retryAt ? { retryImagesAt: retryAt } : {}),
    ...(summary.duplicates ? { duplicates: summary.duplicates } : {}),
    savedAt: run.deps.now().toISOString(),
  });
}
