import { DropmarkSyncError, describeError } from './errors.js';
import type { Logger } from './log.js';
import type { Duplicate } from './site/claims.js';
import type { FeedState } from './state/feed-cache.js';
import { redactText } from './text/redact.js';

// The summary of a sync: its data (the types below), how each collection's is worked out (a
// cached pass, a failed one, a full pass), and the run's totals. Its text is report/'s.

/** The counts every sync reports, per collection and in total. */
export interface Counts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** Files left alone because they carry `dropmark.locked: true`. */
  skipped: number;
  failed: number;
  imagesDownloaded: number;
  /** Items whose image could not be had (they are written without it, or with their previous one). */
  imagesMissing: number;
  /** Changed paths, relative to siteDir. */
  files: string[];
}

export interface ItemFailure {
  /** The item id, when the failure is about one item. */
  itemId?: string;
  /** The item's title, when known: what a person recognises it by. */
  title?: string;
  /** The file, relative to siteDir, when the failure is about one file. */
  file?: string;
  reason: string;
}

/**
 * - `ok`: a full pass, everything written;
 * - `not-modified`: the server answered 304;
 * - `unchanged-feed`: the feed is the same as at the last successful sync (signatures aside);
 * - `degraded`: a full pass, every post written, but some images could not be had;
 * - `stopped`: a stop request ended the pass early (every file old or new);
 * - `failed`: the collection failed or was refused, or some items or files failed.
 */
export type CollectionResult = 'ok' | 'not-modified' | 'unchanged-feed' | 'degraded' | 'stopped' | 'failed';

/**
 * A run as a monitor sees it: `ok`; `degraded` (everything written, some images missing;
 * exit 0 unless images.onError is fail); `failed` (exit 1); `stopped` (a clean stop).
 */
export type RunResult = 'ok' | 'degraded' | 'failed' | 'stopped';

/** One post's change, for reports: what a reviewer needs to judge it. */
export interface ChangeRecord {
  kind: 'create' | 'update' | 'delete' | 'skip';
  relPath: string;
  itemId: string;
  title: string;
  /** The bookmarked page. */
  link: string;
  /** The item's page on Dropmark. */
  editUrl: string;
  /** For a rename (an update that moves the file). */
  renamedFrom?: string;
  /** For an update: the front matter keys whose values changed, and "body". */
  changedKeys?: string[];
}

export interface ImageChangeRecord {
  /** move: given a new name (its post was renamed), the old name removed; copy: the old name stays. */
  kind: 'create' | 'update' | 'delete' | 'move' | 'copy';
  relPath: string;
  size: number;
  /** For a move or a copy: the image's name before, relative to siteDir. */
  from?: string;
}

/** A text file a pass changes: its text before (undefined: created) and after (undefined: removed). */
export interface TextFileChange {
  relPath: string;
  before: string | undefined;
  after: string | undefined;
}

export interface CollectionSummary extends Counts {
  /** The feed URL, without key or password. */
  endpoint: string;
  result: CollectionResult;
  failures: ItemFailure[];
  /** Items whose image is missing; with images.onError: fail they are in `failures` instead. */
  imageFailures: ItemFailure[];
  /**
   * Items whose download the owner's own policy refuses (images.svg: refuse, files.types): an
   * info note, not a missing image (the run stays ok); absent when none.
   */
  leftOut?: ItemFailure[];
  /** Dry run only: the images a real run would download (nothing is requested). */
  wouldDownload?: { relPath: string; from: string; replaces: boolean }[];
  /** Dry run only: the downloads a real run would refuse by its config, unasked, and why (ending with the key). */
  wouldRefuse?: { relPath: string; from: string; reason: string }[];
  /** The post changes made (or, in a dry run, that would be made). */
  changes: ChangeRecord[];
  images: ImageChangeRecord[];
  /**
   * Keys a person added by hand to a file that the profile (or mapping) writes too, found for the
   * first time: the person's values stay, the tool's are not written into that file.
   */
  keptKeys?: { file: string; keys: string[] }[];
  /**
   * Dry run with the `diff` option: every text file that would change, before and after; the
   * command shows them, with `images`, `wouldDownload` and `wouldRefuse`, as a unified diff.
   */
  textChanges?: TextFileChange[];
  /** Set when the whole collection failed or was refused; nothing of it was written. */
  error?: string;
  /** Files that claim an item whose file is another one (a person's copies), left alone; absent when none. */
  duplicates?: Duplicate[];
  /**
   * The feed listed fewer items than the collection holds (its `items_total_count`): nothing was
   * deleted, since a missing item may still be there. Absent for a complete feed.
   */
  partialFeed?: PartialFeed;
}

export interface PartialFeed {
  listed: number;
  total: number;
}

/** How a partial feed is told, in the log, the summary, the report and `status`. */
export function partialFeedMessage({ listed, total }: PartialFeed): string {
  return (
    `the feed lists ${listed} of the collection's ${total} items (items_total_count); ` +
    'nothing is deleted, and stacks are left as they are, since the missing items may still be in Dropmark. ' +
    'Posts of items that really went are deleted once the feed lists every item again ' +
    '(if the count is wrong, sync --allow-partial-feed takes the feed as the whole collection)'
  );
}

export interface Summary extends Counts {
  /** Not failed: `ok` or `degraded` (or stopped cleanly). */
  ok: boolean;
  result: RunResult;
  stopped: boolean;
  /** Nothing was written: a dry run or a check. */
  dryRun: boolean;
  collections: CollectionSummary[];
  startedAt: string;
  durationMs: number;
}

/** How keys a person added by hand, which the profile writes too, are told: the file, the keys, what happens. */
export function keptKeysMessage(kept: { file: string; keys: readonly string[] }): string {
  return (
    `${kept.file}: ${kept.keys.join(', ')}: added by hand, kept as written; ` +
    "the profile's values for them are not written into this file"
  );
}

export function emptyCollectionSummary(endpoint: string): CollectionSummary {
  return {
    endpoint,
    result: 'ok',
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    imagesDownloaded: 0,
    imagesMissing: 0,
    files: [],
    failures: [],
    imageFailures: [],
    changes: [],
    images: [],
  };
}

export function totals(collections: readonly CollectionSummary[]): Counts {
  const sum = (key: Exclude<keyof Counts, 'files'>) => collections.reduce((n, c) => n + c[key], 0);
  return {
    created: sum('created'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    unchanged: sum('unchanged'),
    skipped: sum('skipped'),
    failed: sum('failed'),
    imagesDownloaded: sum('imagesDownloaded'),
    imagesMissing: sum('imagesMissing'),
    files: collections.flatMap((c) => c.files),
  };
}

/** The run's result from its collections': a failure outweighs a stop, a stop a missing image. */
export function runResult(collections: readonly CollectionSummary[]): RunResult {
  if (collections.some((c) => c.result === 'failed')) return 'failed';
  if (collections.some((c) => c.result === 'stopped')) return 'stopped';
  return collections.some((c) => c.imagesMissing > 0) ? 'degraded' : 'ok';
}

/** A collection's counts and outcome without its records: what the heartbeat and the log record keep. */
export function collectionCounts(c: CollectionSummary) {
  const { endpoint, result, created, updated, deleted, unchanged, skipped, failed, imagesDownloaded, imagesMissing } =
    c;
  return {
    ...{ endpoint, result, created, updated, deleted, unchanged, skipped, failed, imagesDownloaded, imagesMissing },
    ...(c.error ? { error: c.error } : {}),
    ...(c.partialFeed ? { partialFeed: c.partialFeed } : {}),
  };
}

/** How a collection's summary is told: its feed, and what decides its result. */
export interface SummaryRun {
  /** The feed URL without key or password. */
  endpoint: string;
  /** images.onError: `fail` counts a missing image as a failed item. */
  onError: 'degrade' | 'fail';
  /** Why the run is stopping, once it is (RunControl.stopKind). */
  stop: 'stop' | 'abort' | undefined;
}

/** The run's summary from its collections'. */
export function summarizeRun(
  collections: CollectionSummary[],
  run: { dryRun: boolean; startedAt: Date; finishedAt: Date },
): Summary {
  const result = runResult(collections);
  return {
    ...totals(collections),
    ok: result !== 'failed',
    result,
    dryRun: run.dryRun,
    stopped: collections.some((c) => c.result === 'stopped'),
    collections,
    startedAt: run.startedAt.toISOString(),
    durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
  };
}

/** A 304 or an unchanged feed on a site nobody touched: the counts of the last complete pass. */
export function summarizeCached(
  run: Pick<SummaryRun, 'endpoint' | 'onError'>,
  kind: 'not-modified' | 'unchanged-feed',
  trusted: FeedState,
): CollectionSummary {
  const summary = emptyCollectionSummary(run.endpoint);
  summary.result = kind;
  summary.unchanged = trusted.files;
  summary.skipped = trusted.skipped ?? 0;
  if (trusted.duplicates) summary.duplicates = trusted.duplicates;
  recordImageMisses(summary, run.onError, trusted.imagesMissing ?? []);
  summary.failed = summary.failures.length;
  if (summary.failed > 0) summary.result = 'failed';
  return summary;
}

/**
 * A pass that ended early: by a stop request (the summary says stopped), or an abort or error
 * (failed). `secrets`: what the message must not show; `log` takes a bug's trace, at debug.
 */
export function summarizeFailure(
  run: Pick<SummaryRun, 'endpoint' | 'stop'> & { secrets: readonly string[]; log: Logger },
  error: unknown,
): CollectionSummary {
  const summary = emptyCollectionSummary(run.endpoint);
  if (run.stop !== undefined) {
    summary.result = stoppedResult(run.stop);
    if (summary.result === 'failed') summary.error = stoppedError(run.endpoint);
    return summary;
  }
  summary.result = 'failed';
  if (error instanceof DropmarkSyncError) {
    summary.error = redactText(error.message, run.secrets);
  } else {
    // A bug or an unexpected I/O error: still a summary, never a secret in it.
    summary.error = `${run.endpoint}: ${redactText(describeError(error), run.secrets)}`;
    run.log.debug({ endpoint: run.endpoint, err: error }, 'sync failed');
  }
  return summary;
}

function stoppedResult(stop: SummaryRun['stop']): CollectionSummary['result'] {
  return stop === 'abort' ? 'failed' : 'stopped';
}

function stoppedError(endpoint: string): string {
  return (
    `${endpoint}: stopped before the end (deadline or abort); ` +
    'every file is either old or new, and the next sync completes the rest'
  );
}

/**
 * Missing images degrade the run (the posts are written without them), unless the config
 * says images.onError: fail. Each is told once: in the summary. Downloads left out by the
 * owner's own policy are no miss: a note, whatever images.onError says.
 */
function recordImageMisses(
  summary: CollectionSummary,
  onError: SummaryRun['onError'],
  misses: readonly ItemFailure[],
  leftOut: readonly ItemFailure[] = [],
): void {
  (onError === 'fail' ? summary.failures : summary.imageFailures).push(...misses);
  summary.imagesMissing = misses.length;
  if (leftOut.length > 0) summary.leftOut = [...leftOut];
}

/** What a full pass hands its summary (sync/full-pass.ts gathers it): what it planned, found and missed. */
export interface PassFacts {
  /** The post changes, then the locked files left alone (`skip`), as reviewers read them. */
  changes: ChangeRecord[];
  unchanged: number;
  /** The files of downloads (images, uploaded files) created, replaced, moved, copied or removed. */
  images: ImageChangeRecord[];
  /** The post files' texts before and after (a rename: the old one removed, the new one created). */
  postTexts: TextFileChange[];
  /** The state files as they would be if every planned change were made. */
  stateFiles: readonly TextFileChange[];
  duplicates: Duplicate[];
  keptKeys: { file: string; keys: string[] }[];
  /** Items that could not be rendered. */
  failures: readonly ItemFailure[];
  /** With a download folder (mode local): what its downloads missed, got or would get. */
  downloads: DownloadFacts | undefined;
}

export interface DownloadFacts {
  /** Items whose download is missing (named by their titles too). */
  misses: ItemFailure[];
  /** Items whose download the owner's own policy refuses. */
  leftOut: ItemFailure[];
  /** How many files a real run downloaded. */
  downloaded: number;
  /** A dry run's downloads and refusals, as files under their folders. */
  wouldDownload: NonNullable<CollectionSummary['wouldDownload']>;
  wouldRefuse: NonNullable<CollectionSummary['wouldRefuse']>;
}

/**
 * What the apply step did: the paths changed (written or removed), the ones that failed, and
 * whether a stop cut it short. A dry run's lists every planned change as done.
 */
export interface PassOutcome {
  done: Set<string>;
  failed: { relPath: string; reason: string }[];
  stopped: boolean;
}

const COUNTER = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/**
 * The one summary of a full pass, for a real run and a dry run alike: a change counts when
 * the outcome says its path was changed (a dry run's outcome lists every planned one).
 */
export function summarizePass(
  run: SummaryRun & { dryRun: boolean; diff: boolean },
  facts: PassFacts,
  outcome: PassOutcome,
): CollectionSummary {
  const summary = emptyCollectionSummary(run.endpoint);
  summary.changes = facts.changes;
  summary.images = facts.images;
  summary.skipped = facts.changes.filter((c) => c.kind === 'skip').length;
  if (facts.duplicates.length > 0) summary.duplicates = facts.duplicates;
  summary.unchanged = facts.unchanged;
  countDone(summary, facts, outcome.done);
  if (facts.downloads) summarizeDownloads(summary, facts.downloads, run);
  if (facts.keptKeys.length > 0) summary.keptKeys = facts.keptKeys;
  summary.failures.push(...facts.failures, ...outcome.failed.map((f) => ({ file: f.relPath, reason: f.reason })));
  summary.failed = summary.failures.length;
  if (run.dryRun && run.diff) summary.textChanges = [...facts.postTexts, ...facts.stateFiles];
  summary.result = outcome.stopped ? stoppedResult(run.stop) : resultOf(summary);
  if (outcome.stopped && summary.result === 'failed') summary.error = stoppedError(run.endpoint);
  return summary;
}

/** Counts each post change that was made, and lists every path the pass changed. */
function countDone(summary: CollectionSummary, facts: PassFacts, done: ReadonlySet<string>): void {
  const { files } = summary;
  for (const change of facts.changes) {
    if (change.kind === 'skip' || !done.has(change.relPath)) continue;
    summary[COUNTER[change.kind]]++;
    files.push(change.relPath);
    if (change.kind === 'update' && change.renamedFrom && done.has(change.renamedFrom)) files.push(change.renamedFrom);
  }
  for (const change of facts.images) {
    if (done.has(change.relPath)) files.push(change.relPath);
    if (change.kind === 'move' && change.from !== undefined && done.has(change.from)) files.push(change.from);
  }
  for (const file of facts.stateFiles) if (done.has(file.relPath)) files.push(file.relPath);
}

function summarizeDownloads(
  summary: CollectionSummary,
  downloads: DownloadFacts,
  run: Pick<SummaryRun, 'onError'> & { dryRun: boolean },
): void {
  recordImageMisses(summary, run.onError, downloads.misses, downloads.leftOut);
  if (!run.dryRun) {
    summary.imagesDownloaded = downloads.downloaded;
    return;
  }
  summary.wouldDownload = downloads.wouldDownload;
  summary.imagesDownloaded = summary.wouldDownload.length;
  if (downloads.wouldRefuse.length > 0) summary.wouldRefuse = downloads.wouldRefuse;
  summary.files.push(...summary.wouldDownload.map((d) => d.relPath));
}

function resultOf(summary: CollectionSummary): CollectionSummary['result'] {
  if (summary.failed > 0) return 'failed';
  return summary.imagesMissing > 0 ? 'degraded' : 'ok';
}
