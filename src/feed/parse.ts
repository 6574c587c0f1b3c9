import { FeedError, FeedItemError } from '../errors.js';
import { FeedItemScanner } from './item-scanner.js';
import { itemKind, type ItemKind } from './item-kinds.js';

/** One feed item after validation: every field is of the type the mapping expects. */
export interface FeedItem {
  /** Decimal digits, without leading zeros: numbers and numeric strings give the same id. */
  id: string;
  name: string | null;
  description: string | null;
  content: string | null;
  link: string | null;
  thumbnail: string | null;
  tags: string[];
  createdAt: string | null;
  updatedAt: string | null;
  /** The item's page on Dropmark (`dropmark.editURL`). */
  url: string | null;
  /** What the item is (item-kinds.ts): `link` when the feed names no kind or one unknown today. */
  kind: ItemKind;
  /** An upload's media type as Dropmark recorded it (`url` for links): a hint only, the bytes decide. */
  mime: string | null;
  /** An upload's size in bytes as Dropmark recorded it. */
  size: number | null;
  /** The stack the item is in (its `parent_id`), or null. */
  parentId: string | null;
}

export interface ParsedFeed {
  items: FeedItem[];
  /**
   * How many items the collection holds (its `items_total_count`), when the feed says: more than
   * `items` holds means the answer is partial, and an item missing from it may still be there.
   */
  totalCount?: number;
  /** Fields of the wrong type that were ignored, for the log: `item 123: name is a object`. */
  warnings: string[];
}

/**
 * Validates the feed body. A body that is not JSON, not an object with an `items` array,
 * or that has items without a usable id, or the same id twice, is an error: the sync stops
 * before touching the site. A field of the wrong type in an item is dropped with a warning,
 * so one odd item does not block the collection.
 */
export function parseFeed(body: Buffer | string | readonly Buffer[], shownUrl: string): ParsedFeed {
  const parser = new FeedParser(shownUrl);
  if (typeof body === 'string') parser.push(Buffer.from(body));
  else if (Buffer.isBuffer(body)) parser.push(body);
  else for (const chunk of body) parser.push(chunk);
  return parser.end();
}

/**
 * Where a reader that keeps no items sends each valid one as it is parsed: a poll that only hashes the feed
 * (sync/feed-stage.ts), for which holding every item is most of its work (the collector moving them).
 */
export interface ItemStream {
  /** An `items` list begins: what was sent before belonged to one that a later `items` key replaces. */
  restart(): void;
  item(item: FeedItem): void;
}

/**
 * parseFeed as the body comes (feed/item-scanner.ts): each item is validated as soon as its bytes are whole, so
 * a large feed is never held as one buffer or one string, and each raw item is garbage at once. With a `stream`,
 * each valid item goes to it and is not kept (`end()` gives no items; only their ids, to refuse a repeated one).
 */
export class FeedParser {
  private items: FeedItem[] = [];
  private ids: string[] = [];
  private warnings: string[] = [];
  private badIndexes: number[] = [];
  private readonly scanner = new FeedItemScanner({
    // A second `items` key replaces the first, as JSON.parse reads it.
    list: () => {
      this.items = [];
      this.ids = [];
      this.warnings = [];
      this.badIndexes = [];
      this.stream?.restart();
    },
    item: (raw) => {
      const item = toItem(raw, this.warnings);
      if (!item) this.badIndexes.push(this.ids.length + this.badIndexes.length);
      else {
        this.ids.push(item.id);
        if (this.stream) this.stream.item(item);
        else this.items.push(item);
      }
    },
  });

  /** The body's first bytes, for the message of a body that is no JSON (an HTML page's `<`). */
  private head = Buffer.alloc(0);

  constructor(
    private readonly shownUrl: string,
    private readonly stream?: ItemStream,
  ) {}

  push(chunk: Buffer): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES)]);
    try {
      this.scanner.push(chunk);
    } catch (error) {
      throw this.notJson(error);
    }
  }

  end(): ParsedFeed {
    let rest: unknown;
    try {
      rest = this.scanner.end();
    } catch (error) {
      throw this.notJson(error);
    }
    const totalCount = countOf(rootCount(rest, this.shownUrl));
    const { items, warnings, badIndexes } = this;
    if (badIndexes.length > 0) {
      const shown = badIndexes.slice(0, 10).map((i) => `#${i + 1}`);
      throw new FeedItemError(
        `GET ${this.shownUrl}: ${badIndexes.length} item(s) have no usable id ` +
          `(items ${shown.join(', ')}${badIndexes.length > 10 ? ', ...' : ''}); ` +
          `an id must be a positive whole number. Nothing was changed`,
        { itemIds: [] },
      );
    }
    refuseDuplicates(this.ids, this.shownUrl);
    return { items, warnings, ...(totalCount === undefined ? {} : { totalCount }) };
  }

  /** The parser's message quotes the body; a body is never put into an error (it may be anything a server holds). */
  private notJson(error: unknown): unknown {
    if (!(error instanceof SyntaxError)) return error;
    const hint = this.head.toString('utf8').trimStart().startsWith('<')
      ? ' (it looks like an HTML page: is the endpoint the collection URL ending in .json?)'
      : '';
    return new FeedError(`GET ${this.shownUrl}: the answer is not JSON${hint}. Check the endpoint URL`, {
      url: this.shownUrl,
    });
  }
}

/** Enough of a body's start to see past blank lines to its first character. */
const HEAD_BYTES = 256;

/** The root object's `items_total_count`; a root that is no object with an `items` list is refused. */
function rootCount(data: unknown, shownUrl: string): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new FeedError(`GET ${shownUrl}: the feed is not a JSON object with an "items" list`, { url: shownUrl });
  }
  if (!Array.isArray((data as Record<string, unknown>)['items'])) {
    throw new FeedError(`GET ${shownUrl}: the feed has no "items" list; is this a Dropmark collection feed?`, {
      url: shownUrl,
    });
  }
  return (data as Record<string, unknown>)['items_total_count'];
}

/**
 * The collection's count as a number, however odd (`1e308`, `6.5`, `"6e0"`): any count above the items listed says
 * some are missing. Undefined for what is no count at all (negative, not a number).
 */
function countOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A count the feed gives as a number or a numeric string; undefined for anything else. */
function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** One item, or undefined when it has no usable id; a field of the wrong type is dropped with a warning. */
function toItem(raw: unknown, warnings: string[]): FeedItem | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const obj = raw as Record<string, unknown>;
  const id = normalizeId(obj['id']);
  if (id === undefined) return undefined;
  const text = (field: string): string | null => {
    const v = obj[field];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v.toWellFormed();
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    warnings.push(`item ${id}: ${field} is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not text; ignored`);
    return null;
  };
  return {
    id,
    name: text('name'),
    description: text('description'),
    content: text('content'),
    link: text('link'),
    thumbnail: text('thumbnail'),
    tags: tagNames(obj['tags'], id, warnings),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
    url: text('url'),
    kind: itemKind(text('type')) ?? 'link',
    mime: text('mime'),
    size: wholeNumber(obj['size']) ?? null,
    parentId:
      obj['parent_id'] === undefined || obj['parent_id'] === null ? null : (normalizeId(obj['parent_id']) ?? null),
  };
}

function refuseDuplicates(ids: readonly string[], shownUrl: string): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size === 0) return;
  const repeated = [...duplicates];
  throw new FeedItemError(
    `GET ${shownUrl}: the feed lists the same item id more than once (${repeated.slice(0, 10).join(', ')}); ` +
      `refusing to guess which one is right. Nothing was changed`,
    { itemIds: repeated },
  );
}

function normalizeId(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  }
  if (typeof value === 'string' && /^\d{1,30}$/.test(value.trim())) {
    const digits = value.trim().replace(/^0+/, '');
    return digits === '' ? undefined : digits;
  }
  return undefined;
}

function tagNames(value: unknown, id: string, warnings: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    warnings.push(`item ${id}: tags is not a list; ignored`);
    return [];
  }
  const names: string[] = [];
  for (const tag of value) {
    const name =
      typeof tag === 'string'
        ? tag
        : tag && typeof tag === 'object'
          ? (tag as Record<string, unknown>)['name']
          : undefined;
    if (typeof name === 'string' && name.trim() !== '') names.push(name.toWellFormed());
  }
  return names;
}
