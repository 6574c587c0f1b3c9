import { FeedItemError } from '../errors.js';
import type { FeedItem } from '../feed/parse.js';
import { formatRfc3339Utc, toRfc3339Utc } from './dates.js';
import { itemIdFromEditUrl } from '../post-keys.js';
import type { Post, PostFields, PreviousPost } from './post.js';
import { MAX_DEPTH, sanitizeBody, TooDeepBody } from './sanitize-body.js';
import { escapeShortcodes } from './shortcodes.js';
import { linkBrand } from './slugify.js';
import { simulatedSocialScore } from './social-score.js';
import { webUrl } from './web-url.js';

export type ImageMode = 'local' | 'remote' | 'none';

export interface MapContext {
  /** The feed URL as written into `source.apiendpoint`: already without key or password. */
  feedUrl: string;
  imageMode: ImageMode;
  /** The sync's clock, used only for an item that has no date at all and no file yet. */
  now: Date;
  /** The site renders bodies with kramdown (the jekyll profile), which needs more escaping (sanitize-body.ts). */
  kramdown?: boolean;
}

/** What the mirroring made of an item's files: the local URL paths its post points to. */
export interface ItemAssets {
  /** Mode local: the local path of the item's image, "" or undefined when there is none. */
  image?: string | undefined;
  /** An upload's file mirrored into the site (files.dir), undefined when it is not. */
  file?: string | undefined;
}

/**
 * A feed item -> the post's values, as front-matter.md says. Pure: the same item, context
 * and previous file give the same post.
 */
export function mapItem(
  item: FeedItem,
  slug: string,
  context: MapContext,
  previous?: PreviousPost,
  assets: ItemAssets = {},
): Post {
  const localImage = assets.image;
  const fromContent = bodyFromContent(item.content);
  // Sanitized first: taking HTML out may join text into a shortcode opener, which the escaping then sees.
  // Hugo runs shortcodes in the body only; front-matter values never reach that engine.
  const raw = fromContent ?? item.description ?? '';
  const body = escapeShortcodes(safeBody(item, raw, context.kramdown === true));
  const description = fromContent === undefined ? '' : (item.description ?? '');
  const warnings: string[] = [];
  const link = urlField(item, 'link', item.link, warnings);
  const thumbnail = context.imageMode === 'remote' ? urlField(item, 'thumbnail', item.thumbnail, warnings) : '';
  const now = formatRfc3339Utc(context.now);
  // Updated first: an item with no valid date at all is refused naming its updated_at, as the reference rule reads it.
  const updated = itemDate(item, previous, 'updated', warnings) ?? now;
  const created = itemDate(item, previous, 'created', warnings) ?? now;
  const fields: PostFields = {
    archetype: 'bookmark',
    date: updated,
    description,
    'dropmark.editURL': editUrl(item, context.feedUrl),
    featuredImage: context.imageMode === 'local' ? (localImage ?? '') : thumbnail,
    link,
    linkBrand: linkBrand(link),
    slug,
    socialScore: previous?.socialScore ?? simulatedSocialScore(item.id),
    socialScoreSimulated: true,
    source: { name: 'Dropmark', apiendpoint: context.feedUrl },
    title: cleanTitle(item.name),
  };
  if (item.tags.length > 0) fields.categories = [...item.tags];
  return { id: item.id, fields, body, created, ...(warnings.length > 0 ? { warnings } : {}) };
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
      [item.id],
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

/** A trailing ` | Site Name` (from the first ` | ` on) removed, then trimmed. */
export function cleanTitle(name: string | null): string {
  if (!name) return '';
  const bar = name.indexOf(' | ');
  return (bar === -1 ? name : name.slice(0, bar)).trim();
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
  if (given !== undefined && itemIdFromEditUrl(given) === item.id) return given;
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
    [item.id],
  );
}
