import { FeedItemError } from '../errors.js';
import { isUpload, uploadUrl } from '../feed/item-kinds.js';
import type { FeedItem } from '../feed/parse.js';
import { isSignedUrl } from '../text/signed-link.js';
import { signedUrlsIn, withoutSignedUrls } from '../text/signed-url.js';
import { formatRfc3339Utc, toRfc3339Utc } from './dates.js';
import { itemIdFromEditUrl } from '../frontmatter/post-keys.js';
import { isReference, rendersWithKramdown, runsShortcodes, type ProfileName } from '../frontmatter/profiles.js';
import { itemTitle } from './item-name.js';
import type { Post, PostFields, PreviousPost } from './post.js';
import { MAX_DEPTH, sanitizeBody, TooDeepBody } from './sanitize-body.js';
import { escapeShortcodes } from './shortcodes.js';
import { linkBrand } from './slugify.js';
import { simulatedSocialScore } from './social-score.js';
import { stackList, type StackEntry } from './stack-body.js';
import { webUrl } from './web-url.js';

export { cleanTitle } from './item-name.js';

export type ImageMode = 'local' | 'remote' | 'none';

export interface MapContext {
  /** The feed URL as written into `source.apiendpoint`: already without key or password. */
  feedUrl: string;
  imageMode: ImageMode;
  /** The sync's clock, used only for an item that has no date at all and no file yet. */
  now: Date;
  /** The site renders bodies with kramdown (the jekyll profile), which needs more escaping (sanitize-body.ts). */
  kramdown?: boolean;
  /**
   * The site's generator runs Hugo shortcodes in bodies (the bookmark and hugo profiles): their openers are made
   * inert (shortcodes.ts). Elsewhere `{{< x >}}` is plain text, written as the feed gives it. Unless false, escaped.
   */
  shortcodes?: boolean;
  /**
   * The collection writes a generator's profile (hugo, jekyll, eleventy, astro), not the reference schema
   * (bookmark, the default): a post is dated by its item's creation (`Post.created` is worked out), and
   * `description` is the item's description even when that is also the body (its content being only its URL),
   * since themes write it into every page's meta description; the reference schema writes "" then.
   */
  generatorProfile?: boolean;
}

/** What the mirroring made of an item's files: the local URL paths its post points to. */
/**
 * How items are mapped under a profile (its generator's Markdown, templates and keys), for the feed URL, images mode
 * and clock given: the one rule for a sync and for the library's mapFeed.
 */
export function profileMapContext(
  profile: ProfileName,
  { feedUrl, imageMode, now }: { feedUrl: string; imageMode: ImageMode; now: Date },
): MapContext {
  return {
    feedUrl,
    imageMode,
    now,
    kramdown: rendersWithKramdown(profile),
    shortcodes: runsShortcodes(profile),
    generatorProfile: !isReference(profile),
  };
}

export interface ItemAssets {
  /** Mode local: the local path of the item's image, "" or undefined when there is none. */
  image?: string | undefined;
  /** An upload's file mirrored into the site (files.dir), undefined when it is not. */
  file?: string | undefined;
  /** A stack written as one post (stacks: list): its items in their order, each with what was mirrored of it. */
  stackItems?: readonly { item: FeedItem; image?: string | undefined; file?: string | undefined }[];
}

/**
 * A feed item -> the post's values, as front-matter.md says. Pure: the same item, context
 * and previous file give the same post. No signed URL (signed-url.ts) is written, but for the
 * thumbnail of mode remote, written as the feed gives it.
 */
export function mapItem(
  item: FeedItem,
  slug: string,
  context: MapContext,
  previous?: PreviousPost,
  assets: ItemAssets = {},
): Post {
  const warnings: string[] = [];
  const { body, description } = itemText(item, context, assets, warnings);
  const link = itemLink(item, context.feedUrl, assets, warnings);
  // Updated first: an item with no valid date at all is refused naming its updated_at, as the reference rule reads it.
  const updated = itemDate(item, previous, 'updated', warnings) ?? formatRfc3339Utc(context.now);
  const created = context.generatorProfile
    ? (itemDate(item, previous, 'created', warnings) ?? formatRfc3339Utc(context.now))
    : undefined;
  const fields: PostFields = {
    archetype: 'bookmark',
    date: updated,
    description,
    'dropmark.editURL': editUrl(item, context.feedUrl),
    featuredImage: itemImage(item, context, assets, warnings),
    link,
    // An upload's link is its own file or page: no brand of anybody's.
    linkBrand: isUpload(item) ? '' : linkBrand(link),
    slug,
    socialScore: previous?.socialScore ?? simulatedSocialScore(item.id),
    socialScoreSimulated: true,
    source: { name: 'Dropmark', apiendpoint: context.feedUrl },
    title: itemTitle(item),
  };
  const tags = item.tags.map((tag) => (isSignedText(tag) ? withoutSignedUrls(tag).trim() : tag)).filter(Boolean);
  if (tags.length > 0) fields.categories = tags;
  return {
    id: item.id,
    fields,
    body,
    ...(created === undefined ? {} : { created }),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * The body and the `description` key. The body is `content`, or the description when that is
 * just the item's URL (bodyFromContent); a stack's items follow it as a list (mode list). Sanitized
 * first: taking HTML out may join text into a shortcode opener, which the escaping then sees. Hugo
 * runs shortcodes in the body only; front-matter values never reach that engine.
 */
function itemText(
  item: FeedItem,
  context: MapContext,
  assets: ItemAssets,
  warnings: string[],
): { body: string; description: string } {
  const fromContent = bodyFromContent(item.content);
  const own = fromContent ?? item.description ?? '';
  const list = assets.stackItems === undefined ? '' : stackList(stackEntries(assets.stackItems, context.feedUrl));
  // A blank line between: kramdown starts no list inside a paragraph.
  const raw = own === '' || list === '' ? own || list : `${own.trimEnd()}\n\n${list}`;
  const description = fromContent === undefined && context.generatorProfile !== true ? '' : (item.description ?? '');
  if ([raw, description, item.name ?? '', ...item.tags].some(isSignedText)) {
    warnings.push(
      `item ${item.id}: its text holds a signed URL, which expires within the hour and is a credential ` +
        'while it works; it is left out (mirror the file, or link to its Dropmark page instead)',
    );
  }
  const safe = safeBody(item, raw, context.kramdown === true);
  const body = context.shortcodes === false ? safe : escapeShortcodes(safe);
  return { body, description: withoutSignedUrls(description) };
}

function isSignedText(text: string): boolean {
  return signedUrlsIn(text).length > 0;
}

/** Each item of a stack as its post lists it: its title, its link as its own post would have it, its image. */
function stackEntries(items: NonNullable<ItemAssets['stackItems']>, feedUrl: string): StackEntry[] {
  return items.map(({ item, image, file }) => {
    const link = itemLink(item, feedUrl, { file }, []) || editUrl(item, feedUrl);
    return { title: itemTitle(item) || link, link, image: image ?? '' };
  });
}

/**
 * An upload's link is its file mirrored into the site, else its Dropmark page: the file's own URL
 * is signed and expires. A note's and a stack's, like a link's, is the item's `link` when it is
 * an http(s) URL that is not signed ("" with a warning otherwise).
 */
function itemLink(item: FeedItem, feedUrl: string, assets: ItemAssets, warnings: string[]): string {
  if (isUpload(item)) return assets.file ?? editUrl(item, feedUrl);
  const link = urlField(item, 'link', item.link, warnings);
  if (link === '' || !isSignedUrl(link)) return link;
  warnings.push(`item ${item.id}: its link is a signed URL, which expires within the hour; it is left out`);
  return '';
}

/**
 * Mode local: the mirrored image. Mode remote: the thumbnail as the feed gives it (signed: the
 * reference site was written so), unless it is an upload's own file. Mode none: "".
 */
function itemImage(item: FeedItem, context: MapContext, assets: ItemAssets, warnings: string[]): string {
  if (context.imageMode === 'local') return assets.image ?? '';
  if (context.imageMode === 'none') return '';
  const thumbnail = urlField(item, 'thumbnail', item.thumbnail, warnings);
  const original = uploadUrl(item);
  return original !== undefined && sameObject(thumbnail, original) ? '' : thumbnail;
}

/** Whether two URLs name the same object (their signatures aside). */
function sameObject(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

/** The body made safe to render (sanitize-body.ts); a body nested too deep to read fails the item by name. */
function safeBody(item: FeedItem, raw: string, kramdown: boolean): string {
  try {
    return sanitizeBody(raw, { kramdown });
  } catch (error) {
    if (!(error instanceof TooDeepBody)) throw error;
    throw new FeedItemError(
      `item ${item.id}: its text nests quotes, lists or emphasis more than ${MAX_DEPTH} levels deep, ` +
        'too deep to check it is safe; the item is skipped until its text in Dropmark nests less',
      { itemIds: [item.id] },
    );
  }
}

/** An http(s) URL of the item, or "" with a warning for anything else (`javascript:`, `data:`, `//host`). */
function urlField(item: FeedItem, field: string, text: string | null, warnings: string[]): string {
  if (text === null || text === '') return '';
  const url = webUrl(text);
  if (url !== undefined) return url;
  warnings.push(`item ${item.id}: its ${field} "${short(text)}" is not an http(s) URL; it is left out`);
  return '';
}

/** A feed value quoted in a one-line message: it can hold megabytes. */
function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/**
 * The body is `content`, unless it is empty or just the item's own URL on one line (the
 * usual content of a link item): then undefined, and the description serves as body.
 */
function bodyFromContent(content: string | null): string | undefined {
  if (content === null || content === '') return undefined;
  const trimmed = content.trim();
  if (trimmed === '') return undefined;
  if (/^https?:\/\/\S+$/i.test(trimmed)) return undefined;
  return content;
}

/**
 * `dropmark.editURL` is how a file is found again by item id, so it must end with the id.
 * When the feed's `url` is missing or names another item, the collection's own item URL
 * is built from the feed URL instead (https://USER.dropmark.com/COLLECTION/ITEM).
 */
function editUrl(item: FeedItem, feedUrl: string): string {
  const given = item.url === null ? undefined : webUrl(item.url);
  if (given !== undefined && itemIdFromEditUrl(given) === item.id && !isSignedUrl(given)) return given;
  try {
    const u = new URL(feedUrl);
    u.search = '';
    u.hash = '';
    u.pathname = `${u.pathname.replace(/\.json$/i, '').replace(/\/+$/, '')}/${item.id}`;
    return u.toString();
  } catch {
    return `https://app.dropmark.com/items/${item.id}`;
  }
}

/**
 * The first valid of updated_at and created_at (`updated`, the reference schema's date) or of
 * created_at and updated_at (`created`), else the file's previous date. A date text that is there
 * but is no date is passed over with a warning, never replaced by the clock: with no valid date and
 * no previous one the item is refused (FeedItemError, the sync skips it). An item with no date text
 * at all gives undefined: the caller takes the sync's clock.
 */
function itemDate(
  item: FeedItem,
  previous: PreviousPost | undefined,
  first: 'created' | 'updated',
  warnings: string[],
): string | undefined {
  const named: [string, string | null][] = [
    ['updated_at', item.updatedAt],
    ['created_at', item.createdAt],
  ];
  if (first === 'created') named.reverse();
  const texts = named.filter((n): n is [string, string] => typeof n[1] === 'string' && n[1].trim() !== '');
  for (const [name, text] of texts) {
    const date = toRfc3339Utc(text);
    if (date === undefined) continue;
    const [passed] = texts;
    if (passed && passed[0] !== name)
      warnings.push(
        `item ${item.id}: its ${passed[0]} "${short(passed[1])}" is not a valid date; its ${name} is taken`,
      );
    return date;
  }
  if (previous?.date !== undefined) return previous.date;
  const [given] = texts;
  if (given === undefined) return undefined;
  throw new FeedItemError(
    `item ${item.id}: its date "${short(given[1])}" ` +
      'is not a valid date (updated_at/created_at); ' +
      'the item is skipped until Dropmark gives a valid one',
    { itemIds: [item.id] },
  );
}
