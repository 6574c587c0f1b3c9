import type { Duplicate } from './site/claims.js';

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
