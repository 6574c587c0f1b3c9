import path from 'node:path';
import type { ParsedFeed } from '../feed/parse.js';
import { assignSlugs } from '../map/unique-slugs.js';
import { readSite, type ExistingFile, type SiteSnapshot } from '../site/read.js';
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
}

export async function indexSite(ctx: CollectionContext, feed: ParsedFeed): Promise<SiteIndex> {
  const site = await readSite(ctx.config.siteDir, ctx.collection.contentDir);
  for (const warning of site.warnings) ctx.log.warn({ contentDir: ctx.collection.contentDir }, warning);
  return indexFiles(site, feed, ctx.collection.slugs);
}

/** Pure: the index of a site snapshot against the feed. */
export function indexFiles(site: SiteSnapshot, feed: ParsedFeed, mode: 'keep' | 'follow-title'): SiteIndex {
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
    mode,
    locked: lockedIds,
  });
  return { site, existingById, brokenById, lockedIds, feedIds, slugs };
}
