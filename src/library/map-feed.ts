import type { CollectionConfig } from '../config/schema.js';
import { DropmarkSyncError } from '../errors.js';
import type { FeedItem, ParsedFeed } from '../feed/parse.js';
import { isReference, reservedNames, shapeOf, slugRuleOf, Timestamp } from '../frontmatter/profiles.js';
import { formatRfc3339Utc, itemDay } from '../map/dates.js';
import { frontMatterEntries } from '../map/front-matter-entries.js';
import { mapItem, profileMapContext, type ItemAssets } from '../map/item.js';
import { partialFeed, stackLayout, wholeStackPosts } from '../map/stacks.js';
import { collectionTerms } from '../map/terms.js';
import { assignSlugs, slugOfName } from '../map/unique-slugs.js';
import { stripSecrets } from '../text/redact.js';

/**
 * The library's mapping: a parsed feed and one collection's settings -> the posts the collection's
 * profile would write, as data. The same steps as a sync's (stacks, tags, slugs, the item's values,
 * the sanitized body, the profile's keys and the mapping), without a site: nothing is read or written.
 */

export interface MapFeedOptions {
  /**
   * The feed's URL as posts name it (`source.apiendpoint`, the item pages built from it). Default: the
   * collection's endpoint without its key or password.
   */
  feedUrl?: string;
  /** The clock, for an item with no date at all (and the `{date}` of its file name). Default: now. */
  now?: Date;
  /** Item id -> the site path of its mirrored image (images.mode local). Without one, a post has no image. */
  images?: ReadonlyMap<string, string>;
  /** Item id -> the site path of its mirrored upload (files.mode local). Without one, it links to its Dropmark page. */
  files?: ReadonlyMap<string, string>;
  /** Item id -> the name (without `.md`) its post had before: kept under `slugs: keep` when the title changes. */
  names?: ReadonlyMap<string, string>;
  /** Take the feed as the whole collection, whatever its items_total_count says (sync --allow-partial-feed). */
  allowPartialFeed?: boolean;
}

/** One post as its file would be: name, front matter values and body. */
export interface MappedPost {
  /** The Dropmark item id. */
  id: string;
  /** The file name the post would be written under (`my-title.md`, `2024-03-10-my-title.md`). */
  file: string;
  /** The post's slug: its file name's `{slug}` part, unique in the collection. */
  slug: string;
  /**
   * The front matter, key by key in the profile's order, after `frontMatter` (rename, drop, add): what the
   * site's generator reads from the file. Dates are Date objects (the file writes them as YAML timestamps).
   */
  data: Record<string, unknown>;
  /** The body: Markdown, the item's text made inert (no script, no event handler, no template tag runs). */
  body: string;
}

export interface MappedFeed {
  posts: MappedPost[];
  /** Items that could not be mapped (a date that is no date, a text nested too deep); their posts are missing. */
  failures: { itemId: string; reason: string }[];
  /** Values left out or changed (an unsafe link, a tag), naming the item: for a log. */
  warnings: { itemId: string; message: string }[];
  /**
   * The feed lists fewer items than its collection holds (items_total_count): the items it does not list
   * may still be in Dropmark, so their posts should stay. Absent when the feed is whole (or allowPartialFeed).
   */
  partial?: { listed: number; total: number };
  /** The front-matter keys whose values are dates, in `data`. */
  dateKeys: string[];
}

/**
 * Pure but for the default clock: every post of the feed under the collection's profile, as
 * `dropmark-sync sync` would write it into an empty content folder (or, with `names`, into one
 * whose posts have those names).
 */
export function mapFeed(feed: ParsedFeed, collection: CollectionConfig, options: MapFeedOptions = {}): MappedFeed {
  const now = options.now ?? new Date();
  const shape = shapeOf(collection);
  const { items, children, partial } = feedPosts(feed, collection, options.allowPartialFeed === true);
  const terms = collectionTerms(items, !isReference(shape.profile));
  const names = postNames(terms.items, collection, { now, names: options.names });
  const feedUrl = options.feedUrl ?? stripSecrets(collection.endpoint);
  const context = profileMapContext(collection.profile, { feedUrl, imageMode: collection.images.mode, now });
  const out: MappedFeed = { posts: [], failures: [], warnings: [...terms.warnings], dateKeys: [] };
  if (partial) out.partial = partial;
  for (const item of terms.items) {
    try {
      const name = names.get(item.id) as string;
      const slug = slugOfName(item, name, shape.fileName, slugRuleOf(shape));
      const post = mapItem(item, slug, context, undefined, assetsOf(item, children, options));
      for (const message of post.warnings ?? []) out.warnings.push({ itemId: item.id, message });
      const entries = frontMatterEntries(post.fields, shape, item.id, post.created);
      out.posts.push({ id: item.id, file: `${name}.md`, slug, data: dataOf(entries, out.dateKeys), body: post.body });
    } catch (error) {
      if (!(error instanceof DropmarkSyncError)) throw error;
      out.failures.push({ itemId: item.id, reason: error.message });
    }
  }
  return out;
}

/** Which items of the feed are posts (stacks: list or flatten), and which items each stack's post lists. */
export interface FeedPosts {
  items: FeedItem[];
  children: ReadonlyMap<string, readonly FeedItem[]>;
  partial: { listed: number; total: number } | undefined;
}

/**
 * The posts of the feed. Of a partial feed (fewer items than its collection holds), only those whose stack it
 * lists whole: a stack, and an item of a stack it does not list, wait for the whole feed.
 */
export function feedPosts(
  feed: ParsedFeed,
  collection: Pick<CollectionConfig, 'stacks'>,
  allowPartial = false,
): FeedPosts {
  const partial = allowPartial ? undefined : partialFeed(feed);
  const layout = stackLayout(feed.items, collection.stacks);
  if (!partial) return { items: layout.posts, children: layout.children, partial };
  return { items: wholeStackPosts(feed, layout), children: new Map(), partial };
}

/**
 * Each post's file name without `.md` (what its images are named after): unique in the collection, kept from
 * `names` as a sync keeps a file's name. The names mapFeed gives the posts, given the same `names`.
 */
export function postNames(
  items: readonly FeedItem[],
  collection: CollectionConfig,
  { now, names }: { now: Date; names?: ReadonlyMap<string, string> | undefined },
): Map<string, string> {
  const shape = shapeOf(collection);
  const today = formatRfc3339Utc(now).slice(0, 10);
  return assignSlugs(items, {
    existingById: names ?? new Map(),
    taken: new Set(),
    reserved: new Set(reservedNames(shape.profile, collection.contentDir)),
    mode: collection.slugs,
    slugRule: slugRuleOf(shape),
    fileName: { pattern: shape.fileName, dateOf: (item) => itemDay(item, shape.profile) ?? today },
  });
}

function assetsOf(item: FeedItem, children: FeedPosts['children'], options: MapFeedOptions): ItemAssets {
  const of = (id: string) => ({ image: options.images?.get(id), file: options.files?.get(id) });
  const stack = children.get(item.id);
  if (item.kind !== 'stack' || stack === undefined) return of(item.id);
  return { ...of(item.id), stackItems: stack.map((child) => ({ item: child, ...of(child.id) })) };
}

/** The entries as plain values; a date as a Date, its key noted once in `dateKeys`. */
function dataOf(entries: readonly [string, unknown][], dateKeys: string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const date = value instanceof Timestamp;
    if (date && !dateKeys.includes(key)) dateKeys.push(key);
    // Defined, not assigned: a key `__proto__` (frontMatter.add may name any key) stays a key.
    Object.defineProperty(data, key, {
      value: date ? new Date(value.text) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return data;
}
