import type { Config } from '../config/schema.js';
import { OWNER_KEY } from '../frontmatter/post-keys.js';
import {
  fileLayout,
  isReference,
  keysFrom,
  PROFILES,
  shapeOf,
  type FrontMatterShape,
  type SourceField,
} from '../frontmatter/profiles.js';
import { canonicalFrontMatter } from '../render/post.js';
import { signedUrlsIn } from '../text/signed-url.js';
import { parseBodies } from '../state/bodies.js';
import { frontMatterRecordPath, parseFrontMatterRecord } from '../frontmatter/key-record.js';
import { bodiesPath } from '../fs/name-parts.js';
import { COPY_HINT, likelyToolFiles } from './claims.js';
import { NOT_UTF8, readSite, readSiteText, type ExistingFile } from './read.js';
import { dateAsText } from '../frontmatter/read-front-matter.js';

export interface Problem {
  /** Relative to siteDir. */
  file: string;
  key?: string;
  message: string;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

type Check = (value: unknown) => string | undefined;
const isString: Check = (v) => (typeof v === 'string' ? undefined : `must be text, is ${describe(v)}`);
const isDate: Check = (v) =>
  typeof v === 'string' && RFC3339_UTC.test(v)
    ? undefined
    : `must be a UTC date like 2019-02-26T11:47:13Z, is ${describe(v)}`;
const isList: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : `must be a list of names, is ${describe(v)}`;
const isOwnerUrl: Check = (v) =>
  typeof v === 'string' && /^https?:\/\/.+\/\d+\/?$/.test(v)
    ? undefined
    : `must be the item's Dropmark URL ending in its id, is ${describe(v)}`;
const present: Check = () => undefined;
const isFeedSource: Check = (v) => {
  const s = v as Record<string, unknown> | null;
  if (!s || typeof s !== 'object' || Array.isArray(s))
    return `must be a mapping with name and apiendpoint, is ${describe(v)}`;
  if (s['name'] !== 'Dropmark') return 'source.name must be "Dropmark"';
  if (typeof s['apiendpoint'] !== 'string') return 'source.apiendpoint must be the feed URL';
  return undefined;
};

/** The check of each key a profile writes from a source field; `image` may be absent (an item without one). */
const SOURCE_CHECKS: Record<SourceField, Check | undefined> = {
  title: isString,
  date: isDate,
  updated: isDate,
  link: isString,
  tags: isList,
  description: isString,
  image: undefined,
  editURL: isOwnerUrl,
  slug: isString,
  linkBrand: isString,
  socialScore: present,
  id: present,
  source: isFeedSource,
};

/** The reference schema's keys (bookmark) and their checks: `categories` is written only for an item with tags. */
const REFERENCE_REQUIRED: Record<string, Check> = {
  archetype: (v) => (v === 'bookmark' ? undefined : `must be "bookmark", is ${describe(v)}`),
  date: isDate,
  description: isString,
  'dropmark.editURL': isOwnerUrl,
  featuredImage: isString,
  link: isString,
  linkBrand: isString,
  slug: isString,
  socialScore: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : `must be a whole number, is ${describe(v)}`,
  socialScoreSimulated: (v) => (typeof v === 'boolean' ? undefined : `must be true or false, is ${describe(v)}`),
  source: isFeedSource,
  title: isString,
};

/** The keys every file of this shape must have, under their names after the mapping, with their checks. */
function requiredKeys(shape: FrontMatterShape): Record<string, Check> {
  const { rename, drop, add } = shape.mapping;
  const required: Record<string, Check> = {};
  const put = (key: string, check: Check | undefined) => {
    const name = rename[key] ?? key;
    if (check && !drop.includes(name)) required[name] = check;
  };
  if (isReference(shape.profile)) for (const [key, check] of Object.entries(REFERENCE_REQUIRED)) put(key, check);
  else
    for (const k of PROFILES[shape.profile].keys)
      put(
        k.key,
        'from' in k
          ? SOURCE_CHECKS[k.from]
          : (v) => (v === k.value ? undefined : `must be ${JSON.stringify(k.value)}, is ${describe(v)}`),
      );
  for (const key of Object.keys(add)) if (!drop.includes(key)) required[key] = present;
  required[OWNER_KEY] = isOwnerUrl;
  return required;
}

/**
 * Checks every file this tool owns against its collection's profile: front matter that parses, required
 * keys and their types, slug = file name, no signed (expiring) URL in a value or the body, no secret in a URL, and
 * no item id in two files. Files of others are not looked at (a name that is not UTF-8 is noted).
 */
export async function validateSite(
  config: Config,
): Promise<{ problems: Problem[]; notes: Problem[]; checked: number }> {
  const problems: Problem[] = [];
  // Not problems: a file formatted otherwise than the tool writes it (the sync leaves it so).
  const notes: Problem[] = [];
  let checked = 0;
  for (const collection of config.collections) {
    const shape = shapeOf(collection);
    const required = requiredKeys(shape);
    const remoteImageKeys = new Set(collection.images.mode === 'remote' ? keysFrom(shape, 'image') : []);
    const site = await readSite(config.siteDir, collection.contentDir, fileLayout(shape).managed);
    // Keys a person holds in single files, which the profile writes too (the sync keeps them): not checked.
    const record = parseFrontMatterRecord(
      await readSiteText(config.siteDir, frontMatterRecordPath(collection.contentDir)),
    );
    // An unreadable file is only ours to report when it looks like ours.
    for (const file of site.unreadable) {
      if (file.text.includes('dropmark.editURL')) problems.push({ file: file.relPath, message: file.reason });
    }
    for (const relPath of site.notUtf8) notes.push({ file: relPath, message: NOT_UTF8 });
    const owned: ExistingFile[] = [];
    for (const file of site.files) {
      if (file.id === undefined) continue;
      checked++;
      // A file can look like the tool's to the fast path and still not parse as YAML.
      if (!file.data) {
        problems.push({
          file: file.relPath,
          message: `front matter unreadable (not valid ${shape.format.toUpperCase()})`,
        });
        continue;
      }
      owned.push(file);
      problems.push(...checkFile(file, shape, required, record.kept?.[file.id] ?? [], remoteImageKeys));
      // The canonical form is the bookmark profile's sorted YAML; other shapes are not compared.
      const canonical = isReference(shape.profile) && shape.format === 'yaml';
      if (canonical && !file.text.startsWith(canonicalFrontMatter(file.data))) {
        notes.push({
          file: file.relPath,
          message:
            'front matter formatted otherwise than the tool writes it (key order, quotes or folding); ' +
            'fine, it is left as it is',
        });
      }
    }
    const recorded = parseBodies(await readSiteText(config.siteDir, bodiesPath(collection.contentDir)));
    problems.push(...duplicateProblems(owned, recorded));
  }
  return { problems, notes, checked };
}

/**
 * Files that claim an item another file claims too. Without the feed, the tool's file is told by its recorded body
 * hash alone (site/claims.ts); when that cannot tell, the message does not guess which one a sync keeps.
 */
function duplicateProblems(owned: readonly ExistingFile[], recorded: ReadonlyMap<string, string>): Problem[] {
  const groups = new Map<string, ExistingFile[]>();
  for (const file of owned) groups.set(file.id as string, [...(groups.get(file.id as string) ?? []), file]);
  const problems: Problem[] = [];
  for (const [id, files] of groups) {
    if (files.length < 2) continue;
    const likely = likelyToolFiles(files, { recordedHash: recorded.get(id) });
    const tool = likely[0] as ExistingFile;
    for (const file of files) {
      if (file === tool) continue;
      const message =
        likely.length === 1
          ? `claims item ${id} like ${tool.relPath}; a sync leaves it alone. ${COPY_HINT}`
          : `claims item ${id} like ${tool.relPath}; a sync updates one of them and leaves the other alone. ` +
            'Remove the dropmark.editURL line of the one that is a copy meant to stay';
      problems.push({ file: file.relPath, key: 'dropmark.editURL', message });
    }
  }
  return problems;
}

function checkFile(
  file: ExistingFile,
  shape: FrontMatterShape,
  required: Record<string, Check>,
  personal: readonly string[],
  remoteImageKeys: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const data = file.data ?? {};
  for (const [key, check] of Object.entries(required)) {
    if (personal.includes(key)) continue;
    if (!(key in data)) {
      problems.push({ file: file.relPath, key, message: 'missing' });
      continue;
    }
    const why = check(dateAsText(data[key]));
    if (why) problems.push({ file: file.relPath, key, message: why });
  }
  if ('categories' in data) {
    const c = data['categories'];
    if (!Array.isArray(c) || c.some((x) => typeof x !== 'string')) {
      problems.push({ file: file.relPath, key: 'categories', message: 'must be a list of names' });
    }
  }
  if (shape.fileName === '{slug}.md' && typeof data['slug'] === 'string' && data['slug'] !== file.name) {
    problems.push({ file: file.relPath, key: 'slug', message: `is "${data['slug']}" but the file is ${file.name}.md` });
  }
  problems.push(...urlProblems(file, data, remoteImageKeys));
  return problems;
}

const SIGNED_URL =
  'holds a signed URL that expires within about an hour and, while it works, is a credential ' +
  'to a private file; replace it with the item’s Dropmark page or a copy of the file in the site ' +
  '(images.mode local mirrors images)';

/**
 * Signed URLs, in any front-matter value and in the body, and URLs with a key or password in
 * front matter. The keys the tool fills with the thumbnail in images mode remote are passed
 * over: the feed's URL is what that mode writes (signed, as the reference site has it).
 */
function urlProblems(file: ExistingFile, data: Record<string, unknown>, passOver: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const values: [string | undefined, unknown][] = [...Object.entries(data), [undefined, file.body ?? '']];
  for (const [key, value] of values) {
    if (key !== undefined && passOver.has(key)) continue;
    const at = { file: file.relPath, ...(key === undefined ? {} : { key }) };
    for (const text of strings(value)) {
      if (signedUrlsIn(text).length > 0) {
        problems.push({ ...at, message: key === undefined ? `its body ${SIGNED_URL}` : SIGNED_URL });
        break;
      }
      // A body links to pages of all kinds, some with a `key` of their own: only front matter is checked for these.
      if (key !== undefined && (/[?&]key=/i.test(text) || /\/\/[^/\s:@]+:[^/\s@]+@/.test(text))) {
        problems.push({ ...at, message: 'holds a URL with a key or password in it; remove it' });
        break;
      }
    }
  }
  return problems;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
