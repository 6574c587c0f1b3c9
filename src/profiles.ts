/**
 * Front-matter profiles: which keys a collection's files carry, in which order, under which
 * names, in which format. Pure data and rules, shared by the config (what may be asked),
 * the mapping (what is written) and the site reader (which keys are the tool's): here, not
 * in map/, so that reading the site does not depend on how posts are made.
 */
import { MANAGED_KEY_LIST, OWNER_KEY } from './post-keys.js';

export const PROFILE_NAMES = ['bookmark', 'hugo', 'jekyll', 'eleventy', 'astro'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const FORMATS = ['yaml', 'toml'] as const;
export type FrontMatterFormat = (typeof FORMATS)[number];

/**
 * What a profile key is made of. Most are the item's values; the rest are constants that
 * turn a generator's template processing off for the file (feed text must never run).
 */
export type SourceField =
  | 'title'
  | 'date'
  | 'link'
  | 'tags'
  | 'description'
  | 'image'
  | 'editURL'
  | 'slug'
  | 'linkBrand'
  | 'socialScore'
  | 'id';

/** Source fields `rename` may name though the profile does not write them (the social score stays available). */
export const SOURCE_FIELDS: readonly SourceField[] = [
  'title',
  'date',
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
  /** The keys in the order they are written (bookmark, not listed here, sorts every key as its files always did). */
  keys: readonly ProfileKey[];
  defaultFileName: string;
  formats: readonly FrontMatterFormat[];
  /** File names (without `.md`) the generator reads as something else than one more post (reservedNames). */
  reserved: (folder: string) => readonly string[];
  /** The generator renders Markdown with kramdown, not a CommonMark parser (the body is escaped for it). */
  kramdown?: true;
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

export const PROFILES: Readonly<Record<Exclude<ProfileName, 'bookmark'>, ProfileSpec>> = {
  hugo: {
    keys: [
      { key: 'title', from: 'title' },
      { key: 'date', from: 'date' },
      // Hugo's "last modified": the feed's date is already the item's last update.
      { key: 'lastmod', from: 'date' },
      { key: 'link', from: 'link' },
      { key: 'tags', from: 'tags' },
      { key: 'description', from: 'description' },
      { key: 'image', from: 'image' },
      owner,
    ],
    defaultFileName: '{slug}.md',
    formats: ['yaml', 'toml'],
    reserved: indexNames,
  },
  jekyll: {
    // Jekyll runs Liquid over every page; feed text such as {% include x %} must not run.
    keys: [...COMMON_KEYS, { key: 'render_with_liquid', value: false }, owner],
    defaultFileName: '{date}-{slug}.md',
    formats: ['yaml'],
    reserved: indexNames,
    kramdown: true,
  },
  eleventy: {
    // Eleventy runs Liquid (or Nunjucks) over Markdown first; "md" alone leaves feed text as text.
    keys: [...COMMON_KEYS, { key: 'templateEngineOverride', value: 'md' }, owner],
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
      { key: 'date', from: 'date' },
      { key: 'link', from: 'link' },
      { key: 'tags', from: 'tags' },
      { key: 'image', from: 'image' },
      { key: 'heroImage', from: 'image' },
      owner,
    ],
    defaultFileName: '{slug}.md',
    formats: ['yaml'],
    reserved: indexNames,
  },
};

/** The bookmark profile's formats and file name (its files are Hugo's); its keys are the fields of map/post.ts. */
const BOOKMARK = {
  defaultFileName: '{slug}.md',
  formats: ['yaml', 'toml'] as readonly FrontMatterFormat[],
  reserved: indexNames,
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
}

export const DEFAULT_SHAPE: FrontMatterShape = {
  profile: 'bookmark',
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
}): FrontMatterShape {
  return {
    profile: collection.profile,
    format: collection.format,
    fileName: collection.fileName ?? defaultFileName(collection.profile),
    mapping: collection.frontMatter,
  };
}

export function defaultFileName(profile: ProfileName): string {
  return profile === 'bookmark' ? BOOKMARK.defaultFileName : PROFILES[profile].defaultFileName;
}

/** Whether the profile's generator renders bodies with kramdown (Jekyll's default). */
export function rendersWithKramdown(profile: ProfileName): boolean {
  return profile !== 'bookmark' && PROFILES[profile].kramdown === true;
}

export function profileFormats(profile: ProfileName): readonly FrontMatterFormat[] {
  return profile === 'bookmark' ? BOOKMARK.formats : PROFILES[profile].formats;
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
  const spec = profile === 'bookmark' ? BOOKMARK : PROFILES[profile];
  return [...spec.reserved(folder)].filter((name) => name !== '');
}

/** The keys a profile writes before the mapping, in its order. */
export function profileKeys(profile: ProfileName): readonly string[] {
  return profile === 'bookmark' ? MANAGED_KEY_LIST : PROFILES[profile].keys.map((k) => k.key);
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

/** Why this mapping cannot be used (none: it can). Each message names the key and what to do. */
export function mappingProblems(profile: ProfileName, mapping: FrontMatterMapping): string[] {
  const problems: string[] = [];
  const own = profileKeys(profile);
  for (const [from, to] of Object.entries(mapping.rename)) {
    if (from === OWNER_KEY || to === OWNER_KEY)
      problems.push(`rename: ${OWNER_KEY} is how the tool finds its files by item id; it cannot be renamed`);
    else if (!own.includes(from) && !(SOURCE_FIELDS as readonly string[]).includes(from))
      problems.push(
        `rename: "${from}" is neither a key of the ${profile} profile (${own.join(', ')}) ` +
          `nor a source field (${SOURCE_FIELDS.join(', ')})`,
      );
    else if (own.includes(to) && mapping.rename[to] === undefined)
      problems.push(`rename: "${from}" -> "${to}" would collide with the profile's own key "${to}"; rename that too`);
  }
  for (const key of mapping.drop) {
    if (key === OWNER_KEY)
      problems.push(`drop: ${OWNER_KEY} is how the tool finds its files by item id; it cannot be dropped`);
  }
  for (const key of Object.keys(mapping.add)) {
    if (key === OWNER_KEY) problems.push(`add: ${OWNER_KEY} is written by the tool; it cannot be added`);
    else if (own.map((k) => mapping.rename[k] ?? k).includes(key) && !mapping.drop.includes(key))
      problems.push(`add: "${key}" is already written by the ${profile} profile; drop it first to replace it`);
  }
  return problems;
}

/** How a collection's files are written: its front-matter shape and the keys that are the tool's. */
export interface FileLayout {
  shape: FrontMatterShape;
  /** The keys the tool owns in these files (the shape's, and those an earlier shape wrote). */
  managed: ReadonlySet<string>;
  /** The pattern the files were named with last: when it is not the shape's, they are renamed. */
  earlierFileName: string;
}

export function fileLayout(
  shape: FrontMatterShape,
  earlierKeys: readonly string[] = [],
  earlierFileName = shape.fileName,
): FileLayout {
  return { shape, managed: new Set([...managedKeys(shape), ...earlierKeys]), earlierFileName };
}

export const BOOKMARK_LAYOUT: FileLayout = fileLayout(DEFAULT_SHAPE);
