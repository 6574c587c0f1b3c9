import path from 'node:path';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { parseFileName } from '../frontmatter/file-names.js';
import { dateKeys, slugRuleOf, type FileLayout } from '../frontmatter/profiles.js';
import { dateAsText } from '../frontmatter/read-front-matter.js';
import { itemDay, toRfc3339Utc } from '../map/dates.js';
import { assignSlugs, fittingNames } from '../map/unique-slugs.js';
import { splitClaims, type ClaimHints, type Duplicate } from '../site/claims.js';
import type { ExistingFile, SiteSnapshot } from '../site/read.js';

// Pure: the content folder as read (site-index.ts reads it) indexed against the feed: each item's file, the copies,
// the names each item gets.

/** What indexFiles needs besides the files and the feed: what the pass read with them, and its clock's day. */
export interface IndexState {
  /** The {date} of an item that has no date (the sync's clock day). */
  today: string;
  /** Names the generator treats specially (profiles.ts, reservedNames). */
  reserved: readonly string[];
  /** Each item's body hash as last written (state/bodies.ts): tells the tool's file from a copy. */
  recorded: ReadonlyMap<string, string>;
  /** The renames a killed run was making (state/renames.ts). */
  renaming: ReadonlyMap<string, string>;
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

/**
 * Pure: the index of a site snapshot against the feed and the state it was read with (IndexState).
 */
export function indexFiles(
  site: SiteSnapshot,
  feed: ParsedFeed,
  mode: 'keep' | 'follow-title',
  layout: FileLayout,
  { today, reserved, recorded, renaming }: IndexState,
): IndexedFiles {
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
 * An item's {date}: its own date's UTC day (map/dates.ts, itemDay), else its file's, else the {date} its file is
 * named with (the mapping may drop every date key), else today. The date is the one the profile writes as `date`,
 * so that in Jekyll the name, `date` and the URL agree, and do not move when the item is edited.
 */
function dayOf(item: FeedItem, file: ExistingFile | undefined, layout: FileLayout, today: string): string {
  const own = itemDay(item, layout.shape.profile) ?? toRfc3339Utc(file && fileDate(file, layout))?.slice(0, 10);
  if (own !== undefined) return own;
  const named = file && parseFileName(layout.earlierFileName, file.name)?.date;
  return named ?? today;
}

/**
 * Whether a pass may hold the files of only the tool's keys compact (site/read.ts): YAML files, whose date the fast
 * path reads, under the key `date`. Under another key fileDate would parse the file, and a compact file has no text.
 */
export function readsCompact(layout: FileLayout): boolean {
  return layout.shape.format === 'yaml' && (dateKeys(layout.shape)[0] ?? 'date') === 'date';
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
