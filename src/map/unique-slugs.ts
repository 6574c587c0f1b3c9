import type { FeedItem } from '../feed/parse.js';
import { fileNameOf, nameKey, parseFileName } from '../frontmatter/file-names.js';
import type { SlugRule } from '../frontmatter/profiles.js';
import { itemSlug } from './item-name.js';

export interface SlugClaims {
  /**
   * keep: an item with a file keeps its name even when its title changed; follow-title: only while the name still
   * fits the title.
   */
  mode?: 'keep' | 'follow-title';
  /** How titles become slugs (default ascii, the reference rule). */
  slugRule?: SlugRule;
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
   * Names (without `.md`) the site's generator treats specially (profiles.ts, reservedNames): no item gets one, and an
   * unlocked file that has one is renamed.
   */
  reserved?: ReadonlySet<string>;
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

/** What naming one item needs to know: the pattern, each item's slug, and the names it may not take (folded). */
interface Naming {
  claims: SlugClaims;
  pattern: string;
  bases: ReadonlyMap<string, string>;
  /** Each item's slug under the ascii rule, where the collection's rule gives another (names made before it). */
  asciiBases: ReadonlyMap<string, string>;
  nameOf: (item: FeedItem, slug: string) => string;
  reserved: ReadonlySet<string>;
  unavailable: ReadonlySet<string>;
  /** Folded name -> the id of the item whose file has it now. */
  holders: ReadonlyMap<string, string>;
}

/**
 * Gives every item a slug that no other item or foreign file has. An item that has a file
 * keeps its name (mode keep, the default: links on the site keep working when an item is
 * retitled), unless the mode is follow-title and the title no longer fits it. Two items with the same
 * slug: the one whose file already has that name keeps it, else the lowest id; the other
 * gets `<slug>-<id>`. An item whose file is already `<slug>` or `<slug>-<id>` keeps its
 * name, so a collision that comes or goes never renames an existing file. Names are compared
 * as a case-insensitive file system does (file-names.ts, nameKey): `About.md` of a person takes `about` too.
 */
export function assignSlugs(items: readonly FeedItem[], claims: SlugClaims): Map<string, string> {
  const naming = namingOf(items, claims);
  const result = new Map<string, string>();
  const used = new Set<string>();
  // Items that keep the name their file has come first, then the rest by id.
  const keepers = new Set(items.filter((item) => keepsName(item, naming)));
  const others = items.filter((item) => !keepers.has(item));
  for (const item of keepers) {
    const name = claims.existingById.get(item.id) as string;
    if (!used.has(nameKey(name))) {
      used.add(nameKey(name));
      result.set(item.id, name);
    } else {
      others.push(item);
    }
  }
  others.sort((a, b) => compareIds(a.id, b.id));
  for (const item of others) {
    const name = freeName(item, naming, used);
    used.add(nameKey(name));
    result.set(item.id, name);
  }
  return result;
}

function namingOf(items: readonly FeedItem[], claims: SlugClaims): Naming {
  const bases = new Map<string, string>();
  const asciiBases = new Map<string, string>();
  for (const item of items) {
    bases.set(item.id, itemSlug(item, claims.slugRule));
    if (claims.slugRule !== undefined && claims.slugRule !== 'ascii') asciiBases.set(item.id, itemSlug(item, 'ascii'));
  }
  const pattern = claims.fileName?.pattern ?? '{slug}.md';
  const dated = pattern.includes('{date}');
  const nameOf = (item: FeedItem, slug: string) =>
    fileNameOf(pattern, { slug, id: item.id, date: (dated && claims.fileName?.dateOf(item)) || '' });
  const reserved = new Set([...(claims.reserved ?? [])].map(nameKey));
  const unavailable = new Set([...[...claims.taken].map(nameKey), ...reserved]);
  const holders = new Map([...claims.existingById].map(([id, name]) => [nameKey(name), id] as const));
  return { claims, pattern, bases, asciiBases, nameOf, reserved, unavailable, holders };
}

/**
 * The names that fit an item under a file-name pattern: its own slug's and `<slug>-<id>` (the
 * name it takes when another item or file has its own), under the collection's slug rule and under
 * the ascii rule (every name made before there were others). A file with none of them was named by
 * something else: an earlier title, or a person.
 */
export function fittingNames(item: FeedItem, pattern: string, date: string, rule: SlugRule = 'ascii'): string[] {
  const values = { id: item.id, date };
  const bases = new Set([itemSlug(item, rule), itemSlug(item, 'ascii')]);
  return [...bases].flatMap((base) => [
    fileNameOf(pattern, { ...values, slug: base }),
    fileNameOf(pattern, { ...values, slug: `${base}-${item.id}` }),
  ]);
}

/** Whether an item's file keeps the name it has: locked, or the name fits, and a generator takes it for no index. */
function keepsName(item: FeedItem, { claims, pattern, bases, asciiBases, nameOf, reserved }: Naming): boolean {
  const existing = claims.existingById.get(item.id);
  if (existing === undefined) return false;
  if (claims.locked?.has(item.id) === true) return true;
  if (reserved.has(nameKey(existing))) return false;
  // A name made by the ascii rule still fits: a site synced before the collection's rule was another keeps its names.
  const fitting = [bases.get(item.id), asciiBases.get(item.id)].flatMap((base) =>
    base === undefined ? [] : [nameOf(item, base), nameOf(item, `${base}-${item.id}`)],
  );
  // A name that differs from the fitting one only in case stays: on macOS or Windows a rename to it would be no move.
  const fits = fitting.some((n) => nameKey(n) === nameKey(existing));
  const patterned = parseFileName(pattern, existing) !== undefined;
  const keepsAnyName = claims.mode !== 'follow-title' && claims.fileName?.renaming !== true;
  return fits || (patterned && keepsAnyName);
}

/**
 * The item's own name if no file, other item or generator rule has it, else `<slug>-<id>` (then
 * `-2`, `-3`, ...). A name another item's file has now is not free even when that file is
 * renamed away in this pass: a new file never replaces one, so two items swapping titles would
 * each wait for the other's name for ever.
 */
function freeName(item: FeedItem, naming: Naming, used: ReadonlySet<string>): string {
  const { pattern, bases, nameOf, unavailable, holders } = naming;
  const taken = (name: string) => {
    const key = nameKey(name);
    const holder = holders.get(key);
    return used.has(key) || unavailable.has(key) || (holder !== undefined && holder !== item.id);
  };
  const base = bases.get(item.id) as string;
  let name = nameOf(item, base);
  for (let n = 1; taken(name); n++) {
    // A pattern without {slug} ("{id}.md") can only be told apart by a suffix after it.
    if (!pattern.includes('{slug}')) name = `${nameOf(item, base)}-${n + 1}`;
    else name = nameOf(item, n === 1 ? `${base}-${item.id}` : `${base}-${item.id}-${n}`);
  }
  return name;
}

/** Numeric order of decimal id strings without leading zeros. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The slug of an item whose file is `name`: the name's {slug} part, or the item's own slug if the pattern has none. */
export function slugOfName(item: FeedItem, name: string, pattern = '{slug}.md', rule: SlugRule = 'ascii'): string {
  return parseFileName(pattern, name)?.slug ?? itemSlug(item, rule);
}
