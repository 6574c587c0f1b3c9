import path from 'node:path';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { formatRfc3339Utc, toRfc3339Utc } from '../map/dates.js';
import { assignSlugs } from '../map/unique-slugs.js';
import { BOOKMARK_LAYOUT, fileLayout, reservedNames, shapeOf, type FileLayout } from '../profiles.js';
import { readSite, readSiteText, type ExistingFile, type SiteSnapshot } from '../site/read.js';
import { frontMatterRecordPath, parseFrontMatterRecord } from '../state/front-matter-keys.js';
import type { CollectionContext } from './types.js';

/** The content folder as the pass needs it: the files by item id, and the file name each item gets. */
export interface SiteIndex {
  site: SiteSnapshot;
  existingById: Map<string, ExistingFile>;
  /** Owned files whose YAML is broken: their items fail by name, and no second file is made for them. */
  brokenById: Map<string, { relPath: string; reason: string }>;
  lockedIds: Set<string>;
  feedIds: Set<string>;
  /** Item id -> file name without `.md`. */
  slugs: Map<string, string>;
  /** How the files are written, and which keys in them are the tool's. */
  layout: FileLayout;
  /** The committed record of the keys and file-name pattern written last (state/front-matter-keys.ts). */
  keysRecord: { file: string; text: string | undefined };
}

export async function indexSite(ctx: CollectionContext, feed: ParsedFeed): Promise<SiteIndex> {
  const file = frontMatterRecordPath(ctx.collection.contentDir);
  const text = await readSiteText(ctx.config.siteDir, file);
  const record = parseFrontMatterRecord(text);
  const layout = fileLayout(shapeOf(ctx.collection), record.keys, record.fileName);
  const site = await readSite(ctx.config.siteDir, ctx.collection.contentDir, layout.managed);
  for (const warning of site.warnings) ctx.log.warn({ contentDir: ctx.collection.contentDir }, warning);
  const today = formatRfc3339Utc(ctx.deps.now()).slice(0, 10);
  const reserved = reservedNames(layout.shape.profile, ctx.collection.contentDir);
  return { ...indexFiles(site, feed, ctx.collection.slugs, layout, today, reserved), keysRecord: { file, text } };
}

/**
 * Pure: the index of a site snapshot against the feed. `today` is the {date} of an item that has no date;
 * `reserved`, the names the generator treats specially (profiles.ts, reservedNames).
 */
export function indexFiles(
  site: SiteSnapshot,
  feed: ParsedFeed,
  mode: 'keep' | 'follow-title',
  layout: FileLayout = BOOKMARK_LAYOUT,
  today = '1970-01-01',
  reserved: readonly string[] = reservedNames(layout.shape.profile, 'content/post'),
): Omit<SiteIndex, 'keysRecord'> {
  const existingById = new Map<string, ExistingFile>();
  for (const file of site.files) {
    if (file.id !== undefined && !existingById.has(file.id)) existingById.set(file.id, file);
  }
  const brokenById = new Map<string, { relPath: string; reason: string }>();
  for (const file of site.unreadable)
    if (file.id !== undefined && !existingById.has(file.id)) brokenById.set(file.id, file);
  const lockedIds = new Set([...existingById.values()].filter((f) => f.locked).map((f) => f.id as string));
  const feedIds = new Set(feed.items.map((i) => i.id));
  const slugs = assignSlugs(feed.items, {
    existingById: new Map([
      ...[...existingById].map(([id, f]) => [id, f.name] as const),
      ...[...brokenById].map(([id, f]) => [id, path.posix.basename(f.relPath, '.md')] as const),
    ]),
    taken: new Set([
      ...site.files.filter((f) => f.id === undefined || !feedIds.has(f.id)).map((f) => f.name),
      ...site.blocked,
    ]),
    reserved: new Set(reserved),
    mode,
    locked: lockedIds,
    fileName: {
      pattern: layout.shape.fileName,
      renaming: layout.earlierFileName !== layout.shape.fileName,
      dateOf: (item) => dayOf(item, existingById.get(item.id), today),
    },
  });
  return { site, existingById, brokenById, lockedIds, feedIds, slugs, layout };
}

/** An item's {date}: its own date (UTC), else its file's, else today. */
function dayOf(item: FeedItem, file: ExistingFile | undefined, today: string): string {
  const date = toRfc3339Utc(item.updatedAt) ?? toRfc3339Utc(item.createdAt) ?? toRfc3339Utc(file?.date);
  return date === undefined ? today : date.slice(0, 10);
}
