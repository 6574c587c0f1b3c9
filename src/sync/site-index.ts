import type { ParsedFeed } from '../feed/parse.js';
import { formatRfc3339Utc } from '../map/dates.js';
import { fileLayout, reservedNames, type FrontMatterShape } from '../frontmatter/profiles.js';
import { readSite, readSiteCompact, readSiteText } from '../site/read.js';
import { frontMatterRecordPath, parseFrontMatterRecord } from '../frontmatter/key-record.js';
import { parseRenames, renamesPath } from '../state/renames.js';
import type { Logger } from '../log.js';
import { indexFiles, readsCompact, type SiteIndex } from './index-files.js';

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
  const site = await (readsCompact(layout) ? readSiteCompact : readSite)(siteDir, contentDir, layout.managed);
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
