import type { FeedItem } from '../feed/parse.js';
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

  const result = new Map<string, string>();
  const used = new Set<string>();
  // Items that keep the name their file has come first, then the rest by id.
  const keepers: FeedItem[] = [];
  const others: FeedItem[] = [];
  for (const item of items) {
    const base = bases.get(item.id) as string;
    const existing = claims.existingById.get(item.id);
    const fits = existing === base || existing === `${base}-${item.id}`;
    const stays = claims.mode !== 'follow-title' || claims.locked?.has(item.id) === true || fits;
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
    let name = base;
    for (let n = 1; used.has(name) || claims.taken.has(name); n++) {
      name = n === 1 ? `${base}-${item.id}` : `${base}-${item.id}-${n}`;
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
