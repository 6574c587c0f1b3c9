import { DropmarkSyncError } from '../errors.js';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { toRfc3339Utc } from '../map/dates.js';
import { mapItem, type MapContext } from '../map/item.js';
import { slugOfName } from '../map/unique-slugs.js';
import type { PreviousPost } from '../map/post.js';
import type { WantedFile } from '../plan/post-plan.js';
import { renderPost } from '../render/post.js';
import type { ExistingFile } from '../site/read.js';
import { bodyHash } from '../state/bodies.js';
import type { ItemFailure } from '../summary.js';
import type { FileLayout } from '../profiles.js';
import { fileDate, type SiteIndex } from './site-index.js';

export interface PostInputs {
  feed: ParsedFeed;
  /** The site index (the record of keys is the state files' business, not the rendering's). */
  index: Omit<SiteIndex, 'keysRecord'>;
  map: MapContext;
  /** Mode local: each item's image path after mirroring. */
  featuredImage: ReadonlyMap<string, string> | undefined;
  /** Each item's body hash as written last time. */
  recordedBodies: ReadonlyMap<string, string>;
  contentDir: string;
  deletions: 'delete' | 'keep';
}

export interface RenderedPosts {
  wanted: WantedFile[];
  /** Each item's body hash as the feed gives it now (failed items keep the recorded one). */
  bodies: Map<string, string>;
  /** Items that failed: their files stay as they are. */
  keepIds: Set<string>;
  failures: ItemFailure[];
}

/**
 * Pure: every item of the feed as the file the tool would write. An item that fails (its
 * owned file unreadable, its values not renderable) keeps its file as it is and its recorded
 * body hash, and is named in `failures`.
 */
export function renderPosts(input: PostInputs): RenderedPosts {
  const out: RenderedPosts = { wanted: [], bodies: new Map(), keepIds: new Set(), failures: [] };
  const fail = (item: FeedItem, reason: string, file?: string) => {
    out.keepIds.add(item.id);
    const recorded = input.recordedBodies.get(item.id);
    if (recorded !== undefined) out.bodies.set(item.id, recorded);
    out.failures.push({ itemId: item.id, ...(file ? { file } : {}), reason });
  };
  for (const item of input.feed.items) {
    const broken = input.index.brokenById.get(item.id);
    if (broken) {
      fail(
        item,
        `${broken.relPath}: ${broken.reason}; repair or delete the file, and the next sync updates it`,
        broken.relPath,
      );
      continue;
    }
    try {
      out.wanted.push(renderOne(input, item, out.bodies));
    } catch (error) {
      if (!(error instanceof DropmarkSyncError)) throw error;
      fail(item, error.message);
    }
  }
  if (input.deletions === 'keep') {
    // Kept files of vanished items keep their records, so a returning item is still told from a hand edit.
    for (const [id, hash] of input.recordedBodies)
      if (!out.bodies.has(id) && input.index.existingById.has(id)) out.bodies.set(id, hash);
  }
  return out;
}

function renderOne(input: PostInputs, item: FeedItem, bodies: Map<string, string>): WantedFile {
  const name = input.index.slugs.get(item.id) as string;
  const { layout } = input.index;
  const slug = slugOfName(item, name, layout.shape.fileName);
  const existing = input.index.existingById.get(item.id);
  const previous = previousValues(existing, item, layout);
  const post = mapItem(item, slug, input.map, previous, input.featuredImage?.get(item.id));
  bodies.set(item.id, bodyHash(post.body));
  post.body = keptBody(existing?.body, post.body, input.recordedBodies.get(item.id));
  return {
    id: item.id,
    relPath: `${input.contentDir}/${name}.md`,
    text: renderPost(post, existing?.extraKeys, existing?.text, layout),
    title: post.fields.title,
    link: post.fields.link,
    editUrl: post.fields['dropmark.editURL'],
  };
}

/**
 * The hand-edit rule: when the file's body differs from the feed's, and the feed's body is
 * the one written last time (its hash is the recorded one), a person edited the file, and
 * their body stays. Otherwise the feed's body is written.
 */
export function keptBody(fileBody: string | undefined, feedBody: string, recordedHash: string | undefined): string {
  if (fileBody !== undefined && fileBody !== feedBody && recordedHash === bodyHash(feedBody)) return fileBody;
  return feedBody;
}

function previousValues(file: ExistingFile | undefined, item: FeedItem, layout: FileLayout): PreviousPost | undefined {
  if (!file) return undefined;
  const previous: PreviousPost = {};
  if (file.socialScoreSimulated && file.socialScore !== undefined) previous.socialScore = file.socialScore;
  // The file's date counts only for an item the feed gives none: read (under a renamed key) only then.
  const dated = toRfc3339Utc(item.updatedAt) ?? toRfc3339Utc(item.createdAt);
  // Only a well-formed date is taken over: it is written unquoted.
  const date = dated === undefined ? toRfc3339Utc(fileDate(file, layout)) : undefined;
  if (date !== undefined) previous.date = date;
  return previous;
}
