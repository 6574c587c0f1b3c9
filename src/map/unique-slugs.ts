import type { FeedItem } from '../feed/parse.js';
import { fileNameOf, parseFileName } from '../file-names.js';
import { cleanTitle } from './item.js';
import { baseSlug, linkBrand } from './slugify.js';

export interface SlugClaims {
  /**
   * keep: an item with a file keeps its name even when its title changed; follow-title: only while the name still
   * fits the title.
   */
  mode?: 'keep' | 'follow-title';
  /** Ids whose files are locked: they keep their names in every mode. */
  locked?: ReadonlySet<string>;
  /** The file name (without `.md`) each item id already has on disk. */
  existingById: ReadonlyMap<string, string>;
  /**
   * Names (without `.md`) on disk that no item of this feed may take: files the tool does not own, or that other
   * ids own.
   */
  taken: ReadonlySet<string>;
  /**
   * The collection's file-name pattern and each item's {date} (YYYY-MM-DD). Without it, names
   * are slugs ("{slug}.md"). A file whose name the pattern could not have made is renamed.
   */
  fileName?: {
    pattern: string;
    /** The pattern changed since the files were named: only a name the new pattern gives stays. */
    renaming?: boolean;
    dateOf: (item: FeedItem) => string;
  };
}

/**
 * Gives every item a slug that no other item or foreign file has. An item that has a file
 * keeps its name (mode keep, the default: links on the site keep working when an item is
 * retitled), unless the mode is follow-title and the title no longer fits it. Two items with the same
 * slug: the one whose file already has that name keeps it, else the lowest id; the other
 * gets `<slug>-<id>`. An item whose file is already `<slug>` or `<slug>-<id>` keeps its
 * name, so a collision that comes or goes never renames an existing file.
 */
export function assignSlugs(items: readonly FeedItem[], claims: SlugClaims): Map<string, string> {
  const bases = new Map<string, string>();
  for (const item of items) bases.set(item.id, baseSlug(linkBrand(item.link), cleanTitle(item.name), item.id));
  const pattern = claims.fileName?.pattern ?? '{slug}.md';
  const dated = pattern.includes('{date}');
  const nameOf = (item: FeedItem, slug: string) =>
    fileNameOf(pattern, { slug, id: item.id, date: (dated && claims.fileName?.dateOf(item)) || '' });

  const result = new Map<string, string>();
  const used = new Set<string>();
  // Items that keep the name their file has come first, then the rest by id.
  const keepers: FeedItem[] = [];
  const others: FeedItem[] = [];
  for (const item of items) {
    const base = bases.get(item.id) as string;
    const existing = claims.existingById.get(item.id);
    const fits = existing === nameOf(item, base) || existing === nameOf(item, `${base}-${item.id}`);
    const locked = claims.locked?.has(item.id) === true;
    const patterned = existing !== undefined && parseFileName(pattern, existing) !== undefined;
    const keepsAnyName = claims.mode !== 'follow-title' && claims.fileName?.renaming !== true;
    const stays = locked || fits || (patterned && keepsAnyName);
    if (existing !== undefined && stays) keepers.push(item);
    else others.push(item);
  }
  for (const item of keepers) {
    const name = claims.existingById.get(item.id) as string;
    if (!used.has(name)) {
      used.add(name);
      result.set(item.id, name);
    } else {
      others.push(item);
    }
  }
  others.sort((a, b) => compareIds(a.id, b.id));
  for (const item of others) {
    const base = bases.get(item.id) as string;
    let name = nameOf(item, base);
    for (let n = 1; used.has(name) || claims.taken.has(name); n++) {
      // A pattern without {slug} ("{id}.md") can only be told apart by a suffix after it.
      if (!pattern.includes('{slug}')) name = `${nameOf(item, base)}-${n + 1}`;
      else name = nameOf(item, n === 1 ? `${base}-${item.id}` : `${base}-${item.id}-${n}`);
    }
    used.add(name);
    result.set(item.id, name);
  }
  return result;
}

/** Numeric order of decimal id strings without leading zeros. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The slug of an item whose file is `name`: the name's {slug} part, or the item's own slug if the pattern has none. */
export function slugOfName(item: FeedItem, name: string, pattern = '{slug}.md'): string {
  return parseFileName(pattern, name)?.slug ?? baseSlug(linkBrand(item.link), cleanTitle(item.name), item.id);
}
