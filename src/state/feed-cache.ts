import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import { uploadUrl } from '../feed/item-kinds.js';
import type { FeedItem, ItemStream, ParsedFeed } from '../feed/parse.js';
import { hostAllowed } from '../images/url.js';
import { withoutSignatureValues } from '../text/cdn-signature.js';
import { isSignedUrl } from '../text/signed-link.js';
import { dateText, readJsonFile, writeJsonFile } from './json-file.js';

const feedStateSchema = z.object({
  /** Hash of the collection's config and the tool's version: another value means another job. */
  key: z.string(),
  etag: z.optional(z.string()),
  lastModified: z.optional(z.string()),
  /** feedHash of the parsed feed: a value of an earlier algorithm simply differs (one full pass). */
  feedHash: z.string(),
  /** Names, sizes, inodes and times (or git ids) of the owned files after that sync. */
  siteFingerprint: z.string(),
  /** What a full pass would count on the unchanged site: unchanged files, and locked files left alone. */
  files: z.int().check(z.nonnegative()),
  skipped: z.optional(z.int().check(z.nonnegative())),
  /** A degraded pass: the items whose image is missing, so a cached run reports them too. */
  imagesMissing: z.optional(
    z.array(z.object({ itemId: z.string(), title: z.optional(z.string()), reason: z.string() })),
  ),
  /** Files left alone because another file claims their item (site/claims.ts), so a cached run names them too. */
  duplicates: z.optional(
    z.array(
      z.object({ file: z.string(), itemId: z.string(), toolFile: z.string(), itemGone: z.optional(z.boolean()) }),
    ),
  ),
  /** When the first missing image may be tried again: from then on the cache is not trusted. */
  retryImagesAt: z.optional(dateText),
  savedAt: z.string(),
});

/** What a collection's last complete sync left behind, to make the next poll cheap. */
export type FeedState = z.infer<typeof feedStateSchema>;

/**
 * One file per site, content dir and feed. The site is named by its path from the cache
 * folder, not by its absolute path: a clone of the site elsewhere (a CI runner) with its cache
 * restored beside it finds its state again.
 */
export function stateFile(cacheDir: string, siteDir: string, contentDir: string, endpoint: string): string {
  const site = path.relative(path.resolve(cacheDir), path.resolve(siteDir));
  const id = createHash('sha256').update(`${site}\0${contentDir}\0${endpoint}`).digest('hex');
  return path.join(cacheDir, 'feeds', `${id.slice(0, 16)}.json`);
}

/** A missing or unreadable state file is no state: it costs a full sync, never a wrong result. */
export async function loadFeedState(file: string): Promise<FeedState | undefined> {
  const read = await readJsonFile(file, feedStateSchema);
  return read.kind === 'read' ? read.data : undefined;
}

export async function saveFeedState(file: string, state: FeedState): Promise<void> {
  await writeJsonFile(file, state);
}

/**
 * The hash's own version, part of the value: a hash saved by an earlier algorithm (items-v3 hashed the count first,
 * before the items, which a poll reading the feed as it comes may not know yet) never equals one of these, so it
 * counts as a change once (one full pass), never as an error. A new version of the tool makes that pass anyway: the
 * cache's key holds the tool's version.
 */
const FEED_HASH_VERSION = 'items-v4';

/** Where Dropmark keeps uploaded files; their URLs are signed like the thumbnails. */
const CDN_HOSTS = ['dropmarkusercontent.com', '*.dropmarkusercontent.com'];

/** Every field of a parsed item, checked by the compiler: a field the parser gains is hashed too. */
const ITEM_FIELDS = Object.keys({
  id: 0,
  name: 0,
  description: 0,
  content: 0,
  link: 0,
  thumbnail: 0,
  tags: 0,
  createdAt: 0,
  updatedAt: 0,
  url: 0,
  kind: 0,
  mime: 0,
  size: 0,
  parentId: 0,
} satisfies Record<keyof FeedItem, 0>) as (keyof FeedItem)[];

/**
 * What the feed says that the tool reads, as one hash: every parsed item, in feed order,
 * each field the mapping sees. Dropmark re-signs every CDN URL each time it renders the feed,
 * so where the signature does not end up in a file (image mode none or local) it is taken
 * out of those URLs only, never out of the text of an item:
 * - `thumbnail`, the item's image, whatever its host (it is mirrored by its path);
 * - `link` and `content` when the whole value is an upload's own file (item-kinds.ts), or one signed URL on
 *   Dropmark's CDN (signed-link.ts), which the mapping leaves out of the files. Any other link keeps its query, as
 *   the file does: `?Policy=old` -> `?Policy=new`, `?Expires=1` -> `?Expires=2` are changes.
 * The collection's item count is hashed too, after the items: a partial answer is not the complete one.
 */
export function feedHash(feed: ParsedFeed, stripSignatures: boolean): string {
  const hasher = new FeedHasher(stripSignatures);
  for (const item of feed.items) hasher.item(item);
  return hasher.digest(feed.totalCount);
}

/**
 * feedHash taken item by item as the feed is read (feed/parse.ts, ItemStream), so a poll whose feed did not change
 * holds none of its items: the same value as feedHash of the parsed feed, by the same steps.
 */
export class FeedHasher implements ItemStream {
  private hash = createHash('sha256');
  private out = new HashText(this.hash);
  constructor(private readonly stripSignatures: boolean) {}
  restart(): void {
    this.hash = createHash('sha256');
    this.out = new HashText(this.hash);
  }
  item(item: FeedItem): void {
    itemText(item, this.stripSignatures, this.out);
  }
  /** The value, once every item is in (the hasher is spent). */
  digest(totalCount: number | undefined): string {
    // After the items, marked by a character no item's text begins with (each begins with its id's length).
    this.out.add(`|${totalCount ?? '-'}`);
    this.out.flush();
    return `${FEED_HASH_VERSION}:${this.hash.digest('hex')}`;
  }
}

/**
 * The hash's input, fed in few calls: short pieces are gathered into one string (up to SHORT_RUN characters), a long
 * value (flat already, as parsed) goes to the hash as it is, never copied into a joined string first.
 */
class HashText {
  private text = '';
  constructor(private readonly hash: Hash) {}
  add(piece: string): void {
    this.text += piece;
    if (this.text.length >= SHORT_RUN) this.flush();
  }
  value(value: string): void {
    if (value.length < LONG_VALUE) return this.add(`${value.length}:${value}`);
    this.hash.update(`${this.text}${value.length}:`);
    this.text = '';
    this.hash.update(value);
  }
  flush(): void {
    this.hash.update(this.text);
    this.text = '';
  }
}

const SHORT_RUN = 1 << 16;
const LONG_VALUE = 256;

/** An item as text in which no two items look alike: each value after its length (null and lists marked). */
function itemText(item: FeedItem, strip: boolean, out: HashText): void {
  for (const key of ITEM_FIELDS) {
    const value = item[key];
    if (value === null) out.add('-');
    else if (typeof value === 'number') out.value(String(value));
    else if (typeof value === 'string') out.value(strip && URL_FIELDS.has(key) ? unsigned(item, key, value) : value);
    else {
      out.add(`[${value.length}`);
      for (const element of value) out.value(element);
    }
  }
}

/** The fields whose value may be a signed file's URL (feedHash). */
const URL_FIELDS: ReadonlySet<keyof FeedItem> = new Set(['thumbnail', 'link', 'content']);

/** A URL field with its signature's values emptied where they do not end up in a file (feedHash). */
function unsigned(item: FeedItem, key: keyof FeedItem, value: string): string {
  const signedFile = key === 'thumbnail' || value === uploadUrl(item) || (onCdn(value) && isSignedUrl(value));
  return signedFile ? withoutSignatureValues(value) : value;
}

function onCdn(value: string): boolean {
  // The whole value one URL: text that merely mentions a CDN URL is the item's text, kept whole.
  if (/\s/.test(value) || !value.includes('dropmarkusercontent.com') || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && hostAllowed(url.hostname, CDN_HOSTS);
}

export function configKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
