import type { ParsedFeed } from '../../src/feed/parse.js';
import { BOOKMARK_LAYOUT, reservedNames, type FileLayout } from '../../src/frontmatter/profiles.js';
import type { SiteSnapshot } from '../../src/site/read.js';
import { indexFiles, type IndexedFiles, type IndexState } from '../../src/sync/index-files.js';

/**
 * indexFiles for a test of one rule: the bookmark layout, no state files, and the clock's day 1970-01-01 unless the
 * test says otherwise; the reserved names are those of a collection in content/post.
 */
export function indexSnapshot(
  site: SiteSnapshot,
  feed: ParsedFeed,
  mode: 'keep' | 'follow-title',
  layout: FileLayout = BOOKMARK_LAYOUT,
  state: Partial<IndexState> = {},
): IndexedFiles {
  return indexFiles(site, feed, mode, layout, {
    today: '1970-01-01',
    reserved: reservedNames(layout.shape.profile, 'content/post'),
    recorded: new Map(),
    renaming: new Map(),
    ...state,
  });
}
