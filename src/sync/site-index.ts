import path from 'node:path';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { parseFileName } from '../frontmatter/file-names.js';
import { formatRfc3339Utc, toRfc3339Utc } from '../map/dates.js';
import { assignSlugs, fittingNames } from '../map/unique-slugs.js';
import {
  BOOKMARK_LAYOUT,
  dateKeys,
  fileLayout,
  postDateSource,
  reservedNames,
  slugRuleOf,
  type FileLayout,
  type FrontMatterShape,
} from '../frontmatter/profiles.js';
import { splitClaims, type ClaimHints, type Duplicate } from '../site/claims.js';
import { dateAsText } from '../frontmatter/read-front-matter.js';
import { readSite, readSiteText, type ExistingFile, type SiteSnapshot } from '../site/read.js';
import { frontMatterRecordPath, parseFrontMatterRecord } from '../frontmatter/key-record.js';
import { parseRenames, renamesPath } from '../state/renames.js';
import type { Logger } from '../log.js';

/** What indexFiles needs besides the files and the feed; each has a default for tests of one rule. */
export interface IndexState {
  /** The {date} of an item that has no date (the sync's clock day). */
  today?: string;
  /** Names the generator treats specially (profiles.ts, reservedNames). */
  reserved?: readonly string[];
  /** Each item's body hash as last written (state/bodies.ts): tells the tool's file from a copy. */
  recorded?: ReadonlyMap<string, string>;
  /** The renames a killed run was making (state/renames.ts). */
  renaming?: ReadonlyMap<string, string>;
}

/** What indexFiles works out from the files alone (without the state files it was read with). */
export type IndexedFiles = Omit<SiteIndex, 'keysRecord' | 'renames'>;

/** The content folder as the pass needs it: the files by item id, and the file name each item gets. */
export interface SiteIndex {
  site: SiteSnapshot;
  /** The tool's file of each item (of several files that claim one, site/claims.ts picks it). */
  existingById: Map<string, ExistingFile>;
  /** The other files that claim an item: a person's copies, never updated or deleted. */
  duplicates: Duplicate[];
  /**
   * Item id -> the old half of a rename a killed run left (state/renames.ts): the tool's file
   * under the name it was leaving, beside the one under its new name. The rename is finished.
   */
  leftovers: Map<string, ExistingFile>;
  /** Owned files whose YAML is broken: their items fail by name, and no second file is made for them. */
  brokenById: Map<string, { relPath: string; reason: string }>;
  lockedIds: Set<string>;
  feedIds: Set<string>;
  /** Item id -> file name without `.md`. */
  slugs: Map<string, string>;
  /** How the files are written, and which keys in them are the tool's. */
  layout: FileLayout;
  /** The committed record of the keys and file-name pattern written last (frontmatter/key-record.ts). */
  keysRecord: { file: string; text: string | undefined };
  /** The journal of renames (state/renames.ts), as the pass found it. */
  renames: { file: string; text: string | undefined };
}

/** The content folder of a collection, and how its files are named and written. */
export interface ContentFolder {
  siteDir: string;
  /** As configured (collection.contentDir). */
  contentDir: string;
  slugs: 'keep' | 'follow-title';
  /** The collection's profile, format, file-name pattern and mapping (profiles.ts, shapeOf). */
  shape: FrontMatterShape;
}

/**
 * Reads the content folder and the state files beside it, and indexes them against the feed.
 * `recorded`: each item's body hash as last written, which tells the tool's file from a copy;
 * `now`: the clock, whose UTC day dates an item without a date.
 */
export async function indexSite(
  folder: ContentFolder,
  feed: ParsedFeed,
  read: { now: Date; log: Logger; recorded?: ReadonlyMap<string, string> },
): Promise<SiteIndex> {
  const { siteDir, contentDir } = folder;
  const file = frontMatterRecordPath(contentDir);
  const text = await readSiteText(siteDir, file);
  const record = parseFrontMatterRecord(text);
  const layout = fileLayout(folder.shape, record.keys, record.fileName, record.kept);
  const site = await readSite(siteDir, contentDir, layout.managed);
  for (const warning of site.warnings) read.log.warn({ contentDir }, warning);
  const today = formatRfc3339Utc(read.now).slice(0, 10);
  const reserved = reservedNames(layout.shape.profile, contentDir);
  const journal = renamesPath(contentDir);
  const journalText = await readSiteText(siteDir, journal);
  const renaming = parseRenames(journalText);
  const recorded = read.recorded ?? new Map();
  const index = indexFiles(site, feed, folder.slugs, layout, { today, reserved, recorded, renaming });
  return { ...index, keysRecord: { file, text }, renames: { file: journal, text: journalText } };
}

/**
 * Pure: the index of a site snapshot against the feed and the state it was read with (IndexState).
 */
export function indexFiles(
  site: SiteSnapshot,
  feed: ParsedFeed,
  mode: 'keep' | 'follow-title',
  layout: FileLayout = BOOKMARK_LAYOUT,
  state: IndexState = {},
): IndexedFiles {
  const {
    today = '1970-01-01',
    reserved = reservedNames(layout.shape.profile, 'content/post'),
    recorded = new Map<string, string>(),
    renaming = new Map<string, string>(),
  } = state;
  const feedIds = new Set(feed.items.map((i) => i.id));
  const items = new Map(feed.items.map((i) => [i.id, i]));
  const leftovers = renameLeftovers(site.files, renaming);
  const left = new Set([...leftovers.values()]);
  const claimants = site.files.filter((f) => !left.has(f));
  const { byId: existingById, duplicates } = splitClaims(claimants, (id) =>
    claimHints(items.get(id), recorded.get(id), layout, today),
  );
  for (const d of duplicates) if (!feedIds.has(d.itemId)) d.itemGone = true;
  const copies = new Set(duplicates.map((d) => d.file));
  const brokenById = new Map<string, { relPath: string; reason: string }>();
  for (const file of site.unreadable)
    if (file.id !== undefined && !existingById.has(file.id)) brokenById.set(file.id, file);
  const lockedIds = new Set([...existingById.values()].filter((f) => f.locked).map((f) => f.id as string));
  const slugs = assignSlugs(feed.items, {
    existingById: new Map([
      ...[...existingById].map(([id, f]) => [id, f.name] as const),
      ...[...brokenById].map(([id, f]) => [id, path.posix.basename(f.relPath, '.md')] as const),
    ]),
    taken: new Set([
      ...site.files.filter((f) => f.id === undefined || !feedIds.has(f.id) || copies.has(f.relPath)).map((f) => f.name),
      ...site.blocked,
    ]),
    reserved: new Set(reserved),
    mode,
    slugRule: slugRuleOf(layout.shape),
    locked: lockedIds,
    fileName: {
      pattern: layout.shape.fileName,
      renaming: layout.earlierFileName !== layout.shape.fileName,
      dateOf: (item) => dayOf(item, existingById.get(item.id), layout, today),
    },
  });
  return { site, existingById, duplicates, leftovers, brokenById, lockedIds, feedIds, slugs, layout };
}

/**
 * The files a killed run left at the old name of a rename it journaled, where the item's file
 * under another name exists too: the tool's own, not a person's copy.
 */
function renameLeftovers(
  files: readonly ExistingFile[],
  renaming: ReadonlyMap<string, string>,
): Map<string, ExistingFile> {
  const out = new Map<string, ExistingFile>();
  if (renaming.size === 0) return out;
  for (const [id, from] of renaming) {
    const claims = files.filter((f) => f.id === id);
    const old = claims.find((f) => f.relPath === from);
    if (old !== undefined && claims.length > 1 && !old.locked) out.set(id, old);
  }
  return out;
}

/**
 * What tells an item's file from a copy: the name its title gives it (`<slug>` or `<slug>-<id>`,
 * as unique-slugs.ts makes them, under the file-name pattern or the one before a change of it; an
 * item gone from the feed has no title), and its recorded body hash.
 */
function claimHints(
  item: FeedItem | undefined,
  recordedHash: string | undefined,
  layout: FileLayout,
  today: string,
): ClaimHints {
  if (item === undefined) return { recordedHash };
  const patterns = [layout.shape.fileName, layout.earlierFileName];
  const rule = slugRuleOf(layout.shape);
  const fitsName = (file: ExistingFile) =>
    patterns.some((pattern) => fittingNames(item, pattern, dayOf(item, file, layout, today), rule).includes(file.name));
  return { recordedHash, fitsName };
}

/**
 * An item's {date}: its own date (UTC), else its file's, else the {date} its file is named with
 * (the mapping may drop every date key), else today. The date is the one the profile writes as
 * `date`: when the item was created (the bookmark profile: its last update), so that in Jekyll
 * the name, `date` and the URL agree, and do not move when the item is edited.
 */
function dayOf(item: FeedItem, file: ExistingFile | undefined, layout: FileLayout, today: string): string {
  const [first, then] =
    postDateSource(layout.shape.profile) === 'updated'
      ? [item.updatedAt, item.createdAt]
      : [item.createdAt, item.updatedAt];
  const date = toRfc3339Utc(first) ?? toRfc3339Utc(then) ?? toRfc3339Utc(file && fileDate(file, layout));
  if (date !== undefined) return date.slice(0, 10);
  const named = file && parseFileName(layout.earlierFileName, file.name)?.date;
  return named ?? today;
}

/**
 * The date an owned file holds, under the key the layout writes it under (a rename moves it);
 * `date` while the file still has the earlier shape's. Reading another key parses the file, so
 * callers ask only for an item the feed gives no date.
 */
export function fileDate(file: ExistingFile, layout: FileLayout): string | undefined {
  const key = dateKeys(layout.shape)[0] ?? 'date';
  if (key === 'date') return file.date;
  const value = dateAsText(file.data?.[key]);
  return typeof value === 'string' ? value : file.date;
}
