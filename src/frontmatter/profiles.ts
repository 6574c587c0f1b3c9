/**
 * Front-matter profiles: which keys a collection's files carry, in which order, under which
 * names, in which format. Pure data and rules, shared by the config (what may be asked),
 * the mapping (what is written) and the site reader (which keys are the tool's): here, not
 * in map/, so that reading the site does not depend on how posts are made.
 */
import { MANAGED_KEY_LIST, OWNER_KEY, type ManagedKey } from './post-keys.js';

export const PROFILE_NAMES = ['bookmark', 'hugo', 'jekyll', 'eleventy', 'astro'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The profile of a collection that names none: the reference schema. */
export const DEFAULT_PROFILE: ProfileName = 'bookmark';

/**
 * How a title becomes a slug (map/slugify.ts): `ascii` keeps a-z and 0-9 only (the reference rule, bookmark's
 * default); `transliterate` writes the title in Latin letters first, keeping the letters of scripts without a Latin
 * form (the generator profiles' default); `keep-letters` keeps the letters of every script, as Hugo's URLs do.
 */
export const SLUG_RULES = ['ascii', 'transliterate', 'keep-letters'] as const;
export type SlugRule = (typeof SLUG_RULES)[number];

export const FORMATS = ['yaml', 'toml'] as const;
export type FrontMatterFormat = (typeof FORMATS)[number];

/**
 * What a profile key is made of. Most are the item's values; the rest are constants that
 * turn a generator's template processing off for the file (feed text must never run).
 */
export type SourceField =
  | 'title'
  /** When the item was created: a post's date that does not move when the item is edited. */
  | 'date'
  /** When the item was last updated in Dropmark. */
  | 'updated'
  | 'link'
  | 'tags'
  | 'description'
  | 'image'
  | 'editURL'
  | 'slug'
  | 'linkBrand'
  | 'socialScore'
  | 'id'
  /** The feed the item came from, as the reference schema writes it: `{ name: Dropmark, apiendpoint }`. */
  | 'source';

/** Source fields `rename` may name though the profile does not write them (the social score stays available). */
export const SOURCE_FIELDS: readonly SourceField[] = [
  'title',
  'date',
  'updated',
  'link',
  'tags',
  'description',
  'image',
  'slug',
  'linkBrand',
  'socialScore',
  'id',
];

/** A date written as a date (YAML plain timestamp, TOML datetime), not as a quoted string. */
export class Timestamp {
  constructor(readonly text: string) {}
}

export type ProfileKey = { key: string; from: SourceField } | { key: string; value: string | boolean };

interface ProfileSpec {
  /** The keys in the order they are written; the key `date` holds the post's date (postDateSource). */
  keys: readonly ProfileKey[];
  /**
   * The reference schema (bookmark): a file holds the post's own fields (map/post.ts) as the reference site's files
   * do, byte for byte: every key sorted as go-yaml wrote them, `date` the item's last update, the description only
   * when the body is not the item's content, and tags as each item spells them. The other profiles write their keys
   * in order, `date` when the item was created, and one spelling per tag across the collection (for tag pages).
   */
  reference?: true;
  /** How titles become slugs when the collection does not say (slugify). */
  slugRule: SlugRule;
  defaultFileName: string;
  formats: readonly FrontMatterFormat[];
  /** File names (without `.md`) the generator reads as something else than one more post (reservedNames). */
  reserved: (folder: string) => readonly string[];
  /** The generator renders Markdown with kramdown, not a CommonMark parser (the body is escaped for it). */
  kramdown?: true;
  /** The generator runs Hugo shortcodes in the body (their openers are made inert). */
  shortcodes?: true;
}

/**
 * Hugo reads a folder holding `index.md` as a leaf bundle (one page: every other post in the folder is gone from
 * the built site) and `_index.md` as the section's own list page; Jekyll and Astro sites keep `index` for a
 * folder's own page. No post takes these names in any profile.
 */
const INDEX_NAMES = ['index', '_index'] as const;
const indexNames = () => INDEX_NAMES;

const owner: ProfileKey = { key: OWNER_KEY, from: 'editURL' };

/** What every profile but bookmark writes first, under the common names. */
const COMMON_KEYS: readonly ProfileKey[] = [
  { key: 'title', from: 'title' },
  { key: 'date', from: 'date' },
  { key: 'link', from: 'link' },
  { key: 'tags', from: 'tags' },
  { key: 'description', from: 'description' },
  { key: 'image', from: 'image' },
];

/** Where each field of the reference schema (map/post.ts) comes from. */
const REFERENCE_SOURCES: Readonly<Record<ManagedKey, SourceField | { value: string | boolean }>> = {
  archetype: { value: 'bookmark' },
  // Written only when the item has tags.
  categories: 'tags',
  date: 'updated',
  description: 'description',
  'dropmark.editURL': 'editURL',
  // An empty string when the item has no image.
  featuredImage: 'image',
  link: 'link',
  linkBrand: 'linkBrand',
  slug: 'slug',
  socialScore: 'socialScore',
  socialScoreSimulated: { value: true },
  source: 'source',
  title: 'title',
};

const referenceKeys = (): ProfileKey[] =>
  MANAGED_KEY_LIST.map((key) => {
    const source = REFERENCE_SOURCES[key];
    return typeof source === 'string' ? { key, from: source } : { key, ...source };
  });

export const PROFILES: Readonly<Record<ProfileName, ProfileSpec>> = {
  bookmark: {
    keys: referenceKeys(),
    reference: true,
    // The reference rule: the files keep the reference site's names.
    slugRule: 'ascii',
    defaultFileName: '{slug}.md',
    formats: ['yaml', 'toml'],
    reserved: indexNames,
    // Its files are Hugo's.
    shortcodes: true,
  },
  hugo: {
    keys: [
      { key: 'title', from: 'title' },
      { key: 'date', from: 'date' },
      // Hugo's "last modified" (.Lastmod), which its sitemap and themes show.
      { key: 'lastmod', from: 'updated' },
      { key: 'link', from: 'link' },
      { key: 'tags', from: 'tags' },
      { key: 'description', from: 'description' },
      { key: 'image', from: 'image' },
      owner,
    ],
    slugRule: 'transliterate',
    defaultFileName: '{slug}.md',
    formats: ['yaml', 'toml'],
    reserved: indexNames,
    shortcodes: true,
  },
  jekyll: {
    // Jekyll runs Liquid over every page; feed text such as {% include x %} must not run.
    // last_modified_at is what jekyll-seo-tag and jekyll-sitemap read.
    keys: [
      ...COMMON_KEYS.slice(0, 2),
      { key: 'last_modified_at', from: 'updated' },
      ...COMMON_KEYS.slice(2),
      { key: 'render_with_liquid', value: false },
      owner,
    ],
    slugRule: 'transliterate',
    defaultFileName: '{date}-{slug}.md',
    formats: ['yaml'],
    reserved: indexNames,
    kramdown: true,
  },
  eleventy: {
    // Eleventy runs Liquid (or Nunjucks) over Markdown first; "md" alone leaves feed text as text.
    keys: [...COMMON_KEYS, { key: 'templateEngineOverride', value: 'md' }, owner],
    slugRule: 'transliterate',
    defaultFileName: '{slug}.md',
    formats: ['yaml'],
    // Eleventy writes `posts/index.md` and `posts/posts.md` both to `posts/index.html`, where a site's own listing
    // of the folder often is: two of them fail the build ("Output conflict").
    reserved: (folder) => [...INDEX_NAMES, folder],
  },
  astro: {
    keys: [
      { key: 'title', from: 'title' },
      { key: 'description', from: 'description' },
      // Astro's blog starter schema names them pubDate and heroImage; date and image are the common names.
      { key: 'pubDate', from: 'date' },
      // The blog starter's schema: updatedDate is optional, shown as "Last updated on".
      { key: 'updatedDate', from: 'updated' },
      { key: 'date', from: 'date' },
      { key: 'link', from: 'link' },
      { key: 'tags', from: 'tags' },
      { key: 'image', from: 'image' },
      { key: 'heroImage', from: 'image' },
      owner,
    ],
    slugRule: 'transliterate',
    defaultFileName: '{slug}.md',
    formats: ['yaml'],
    reserved: indexNames,
  },
};

export interface FrontMatterMapping {
  rename: Readonly<Record<string, string>>;
  drop: readonly string[];
  add: Readonly<Record<string, unknown>>;
}

/** A collection's front matter, resolved from its config. */
export interface FrontMatterShape {
  profile: ProfileName;
  format: FrontMatterFormat;
  fileName: string;
  mapping: FrontMatterMapping;
  /** How titles become slugs; absent: the profile's default (slugRuleOf). */
  slugify?: SlugRule;
}

export const DEFAULT_SHAPE: FrontMatterShape = {
  profile: DEFAULT_PROFILE,
  format: 'yaml',
  fileName: '{slug}.md',
  mapping: { rename: {}, drop: [], add: {} },
};

/** A collection's shape from its config (the default one when nothing is asked). */
export function shapeOf(collection: {
  profile: ProfileName;
  format: FrontMatterFormat;
  fileName?: string | undefined;
  frontMatter: FrontMatterMapping;
  slugify?: SlugRule | undefined;
}): FrontMatterShape {
  const shape: FrontMatterShape = {
    profile: collection.profile,
    format: collection.format,
    fileName: collection.fileName ?? defaultFileName(collection.profile),
    mapping: collection.frontMatter,
  };
  if (collection.slugify !== undefined) shape.slugify = collection.slugify;
  return shape;
}

/**
 * The shape's slug rule: the one asked, else the profile's. Bookmark keeps the reference rule (its files stay
 * byte-identical to the reference site's); the generators' sites get readable names in every language.
 */
export function slugRuleOf(shape: Pick<FrontMatterShape, 'profile' | 'slugify'>): SlugRule {
  return shape.slugify ?? PROFILES[shape.profile].slugRule;
}

export function defaultFileName(profile: ProfileName): string {
  return PROFILES[profile].defaultFileName;
}

/** Whether the profile's generator runs Hugo shortcodes in bodies: Hugo's, and bookmark's (its files are Hugo's). */
export function runsShortcodes(profile: ProfileName): boolean {
  return PROFILES[profile].shortcodes === true;
}

/** Whether the profile's generator renders bodies with kramdown (Jekyll's default). */
export function rendersWithKramdown(profile: ProfileName): boolean {
  return PROFILES[profile].kramdown === true;
}

export function profileFormats(profile: ProfileName): readonly FrontMatterFormat[] {
  return PROFILES[profile].formats;
}

/** Whether the profile writes the reference schema (ProfileSpec.reference says what that means). */
export function isReference(profile: ProfileName): boolean {
  return PROFILES[profile].reference === true;
}

/** Which of the item's dates is the post's date (its file name's {date}): what the profile's `date` key holds. */
export function postDateSource(profile: ProfileName): 'date' | 'updated' {
  const date = PROFILES[profile].keys.find((k) => k.key === 'date');
  return date && 'from' in date && date.from === 'updated' ? 'updated' : 'date';
}

/**
 * The file names (without `.md`) no post of a collection in `contentDir` takes under this profile: an item whose
 * name would be one gets `<slug>-<id>`.
 */
export function reservedNames(profile: ProfileName, contentDir: string): string[] {
  const folder =
    contentDir
      .split(/[\\/]+/)
      .filter((part) => part !== '' && part !== '.')
      .pop() ?? '';
  return [...PROFILES[profile].reserved(folder)].filter((name) => name !== '');
}

/** The keys a profile writes before the mapping, in its order. */
export function profileKeys(profile: ProfileName): readonly string[] {
  return PROFILES[profile].keys.map((k) => k.key);
}

/**
 * The keys the tool writes and owns under this shape, after rename, drop and add. Every
 * other key in a file is a person's, kept on update. `drop` may name any key: dropping one
 * the profile does not write removes it from the files (a key an earlier mapping added).
 */
export function managedKeys(shape: FrontMatterShape): string[] {
  const { rename, drop, add } = shape.mapping;
  const written = profileKeys(shape.profile).map((k) => rename[k] ?? k);
  for (const [from, to] of Object.entries(rename)) if (!profileKeys(shape.profile).includes(from)) written.push(to);
  const keys = [...written.filter((k) => !drop.includes(k)), ...Object.keys(add)];
  return [...new Set([...keys, ...drop])];
}

/** A reason a mapping cannot be used: where, under the collection's `frontMatter`, and what to do. */
export interface MappingProblem {
  /** ['add', 'dropmark.locked'], ['rename', 'image'], ['drop', 0] */
  at: (string | number)[];
  message: string;
}

/** Keys that start with "dropmark." (any case: Hugo reads keys without case) are the tool's. */
export const RESERVED_KEY = /^dropmark\./i;
const RESERVED = 'keys that start with "dropmark." are the tool\'s (dropmark.locked is written by hand in one file)';

/**
 * Keys without which a profile's files break, each with the reason: the tool would no longer
 * find its files, or a generator would run the feed's text as a template.
 */
const GUARDED: Readonly<Record<string, string>> = {
  [OWNER_KEY]: 'is how the tool finds its files by item id',
  render_with_liquid: "(always false) keeps Jekyll's Liquid from running the feed's text",
  templateEngineOverride: "(always md) keeps Eleventy's template engines from running the feed's text",
};

/**
 * Whether a key is one the tool always writes its own value into, whoever put it in a file
 * first: a person's `templateEngineOverride: njk,md` kept on a switch to eleventy would let
 * Nunjucks run the feed's text.
 */
export function isGuardedKey(key: string): boolean {
  return Object.hasOwn(GUARDED, key);
}

function guardOf(profile: ProfileName, key: string): string | undefined {
  return key === OWNER_KEY || (Object.hasOwn(GUARDED, key) && profileKeys(profile).includes(key))
    ? GUARDED[key]
    : undefined;
}

const blank = (key: string) => key.trim() === '';

/**
 * Why this mapping cannot be used (none: it can), in the order rename, drop, add. Refused:
 * empty keys; the tool's keys (`dropmark.*`); a key the profile cannot do without, dropped,
 * renamed or replaced; the title dropped; two keys renamed onto one, or onto a key the profile
 * or `add` writes, or onto one `drop` removes.
 */
export function mappingProblems(profile: ProfileName, mapping: FrontMatterMapping): MappingProblem[] {
  return [...renameProblems(profile, mapping), ...dropProblems(profile, mapping), ...addProblems(profile, mapping)];
}

function renameProblems(profile: ProfileName, mapping: FrontMatterMapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const onto = new Map<string, string>();
  for (const [from, to] of Object.entries(mapping.rename)) {
    const message = renameProblem(profile, mapping, from, to, onto.get(to));
    if (message !== undefined) problems.push({ at: ['rename', from], message });
    if (!onto.has(to)) onto.set(to, from);
  }
  return problems;
}

function renameProblem(
  profile: ProfileName,
  mapping: FrontMatterMapping,
  from: string,
  to: string,
  earlier: string | undefined,
): string | undefined {
  const own = profileKeys(profile);
  const guard = guardOf(profile, from);
  if (blank(from)) return 'an empty key cannot be renamed; remove the entry';
  if (guard !== undefined) return `${from} ${guard}; it cannot be renamed`;
  if (RESERVED_KEY.test(from)) return `${RESERVED}; "${from}" cannot be renamed`;
  if (!own.includes(from) && !(SOURCE_FIELDS as readonly string[]).includes(from))
    return (
      `"${from}" is neither a key of the ${profile} profile (${own.join(', ')}) ` +
      `nor a source field (${SOURCE_FIELDS.join(', ')})`
    );
  if (blank(to)) return `"${from}" is renamed to an empty key; give it a name`;
  if (RESERVED_KEY.test(to)) return `"${from}" -> "${to}": ${RESERVED}; choose another name`;
  if (earlier !== undefined)
    return `"${from}" -> "${to}": "${earlier}" is renamed to "${to}" too; give each its own key`;
  if (to !== from && mapping.drop.includes(to))
    return `"${from}" -> "${to}": drop removes "${to}", so it would never be written; take it out of drop`;
  if (own.includes(to) && mapping.rename[to] === undefined)
    return `"${from}" -> "${to}" would collide with the profile's own key "${to}"; rename that too`;
  return undefined;
}

function dropProblems(profile: ProfileName, mapping: FrontMatterMapping): MappingProblem[] {
  const title = mapping.rename['title'] ?? 'title';
  const problems: MappingProblem[] = [];
  mapping.drop.forEach((key, i) => {
    const guard = guardOf(profile, key);
    let message: string | undefined;
    if (blank(key)) message = 'an empty key; remove it from the list';
    else if (guard !== undefined) message = `${key} ${guard}; it cannot be dropped`;
    else if (RESERVED_KEY.test(key)) message = `${RESERVED}; "${key}" cannot be dropped`;
    else if (key === title)
      message = `"${key}" is every post's title; it cannot be dropped (rename it to write it under another name)`;
    if (message !== undefined) problems.push({ at: ['drop', i], message });
  });
  return problems;
}

function addProblems(profile: ProfileName, mapping: FrontMatterMapping): MappingProblem[] {
  const own = profileKeys(profile);
  const written = new Map<string, string>(own.map((k) => [mapping.rename[k] ?? k, k]));
  const renamed = new Map<string, string>();
  for (const [from, to] of Object.entries(mapping.rename)) if (!own.includes(from)) renamed.set(to, from);
  const problems: MappingProblem[] = [];
  for (const key of Object.keys(mapping.add)) {
    const guard = guardOf(profile, written.get(key) ?? key);
    let message: string | undefined;
    if (blank(key)) message = 'an empty key; give it a name';
    else if (guard !== undefined) message = `${key} ${guard}; it cannot be added (the tool writes it)`;
    else if (RESERVED_KEY.test(key)) message = `${RESERVED}; use another name than "${key}"`;
    else if (renamed.has(key) && !mapping.drop.includes(key))
      message = `"${key}" is already written (rename: ${renamed.get(key)} -> ${key}); remove one of the two`;
    else if (written.has(key) && !mapping.drop.includes(key))
      message = `"${key}" is already written by the ${profile} profile; drop it first to replace it`;
    if (message !== undefined) problems.push({ at: ['add', key], message });
  }
  return problems;
}

/**
 * The keys this shape writes the item's date under, in order (after rename and drop). The tool
 * reads a file's date back from the first, for an item the feed gives no date.
 */
export function dateKeys(shape: FrontMatterShape): string[] {
  return keysFrom(shape, postDateSource(shape.profile));
}

/** The keys this shape writes a source field under, in order (after rename and drop). */
export function keysFrom(shape: FrontMatterShape, field: SourceField): string[] {
  const { rename, drop } = shape.mapping;
  const own = PROFILES[shape.profile].keys.filter((k) => 'from' in k && k.from === field).map((k) => k.key);
  return own.map((k) => rename[k] ?? k).filter((k) => !drop.includes(k));
}

/** How a collection's files are written: its front-matter shape and the keys that are the tool's. */
export interface FileLayout {
  shape: FrontMatterShape;
  /** The keys the tool owns in these files (the shape's, and those an earlier shape wrote). */
  managed: ReadonlySet<string>;
  /**
   * The keys the tool wrote last (the record's). A key of the shape that is not among them, found
   * in an owned file, was put there by a person: it stays, with the person's value.
   */
  written: ReadonlySet<string>;
  /** Item id -> keys a person holds in that item's file though the shape writes them (the record's). */
  personalById: ReadonlyMap<string, ReadonlySet<string>>;
  /** One file's keys of that kind: written with the person's values, never the tool's. */
  personal?: ReadonlySet<string>;
  /** The pattern the files were named with last: when it is not the shape's, they are renamed. */
  earlierFileName: string;
}

/** Without `earlierKeys` the tool wrote this very shape last. */
export function fileLayout(
  shape: FrontMatterShape,
  earlierKeys?: readonly string[],
  earlierFileName = shape.fileName,
  personalById: Readonly<Record<string, readonly string[]>> = {},
): FileLayout {
  const current = managedKeys(shape);
  return {
    shape,
    managed: new Set([...current, ...(earlierKeys ?? [])]),
    written: new Set(earlierKeys ?? current),
    personalById: new Map(Object.entries(personalById).map(([id, keys]) => [id, new Set(keys)])),
    earlierFileName,
  };
}

export const BOOKMARK_LAYOUT: FileLayout = fileLayout(DEFAULT_SHAPE);
