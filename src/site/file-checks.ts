import type { Config } from '../config/schema.js';
import { canonicalFrontMatter } from '../render/post.js';
import { readSite, type ExistingFile } from './read.js';

export interface Problem {
  /** Relative to siteDir. */
  file: string;
  key?: string;
  message: string;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SIGNED = /[?&](?:Signature|Key-Pair-Id|Policy)=/;

type Check = (value: unknown) => string | undefined;
const isString: Check = (v) => (typeof v === 'string' ? undefined : `must be text, is ${describe(v)}`);
const REQUIRED: Record<string, Check> = {
  archetype: (v) => (v === 'bookmark' ? undefined : `must be "bookmark", is ${describe(v)}`),
  date: (v) =>
    typeof v === 'string' && RFC3339_UTC.test(v)
      ? undefined
      : `must be a UTC date like 2019-02-26T11:47:13Z, is ${describe(v)}`,
  description: isString,
  'dropmark.editURL': (v) =>
    typeof v === 'string' && /^https?:\/\/.+\/\d+\/?$/.test(v)
      ? undefined
      : `must be the item's Dropmark URL ending in its id, is ${describe(v)}`,
  featuredImage: isString,
  link: isString,
  linkBrand: isString,
  slug: isString,
  socialScore: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : `must be a whole number, is ${describe(v)}`,
  socialScoreSimulated: (v) => (typeof v === 'boolean' ? undefined : `must be true or false, is ${describe(v)}`),
  source: (v) => {
    const s = v as Record<string, unknown> | null;
    if (!s || typeof s !== 'object' || Array.isArray(s))
      return `must be a mapping with name and apiendpoint, is ${describe(v)}`;
    if (s['name'] !== 'Dropmark') return 'source.name must be "Dropmark"';
    if (typeof s['apiendpoint'] !== 'string') return 'source.apiendpoint must be the feed URL';
    return undefined;
  },
  title: isString,
};

/**
 * Checks every file this tool owns against the schema: front matter that parses, required
 * keys and their types, slug = file name, no signed (expiring) URLs, no secret in a URL, and
 * no item id in two files. Files of others are not looked at.
 */
export async function validateSite(
  config: Config,
): Promise<{ problems: Problem[]; notes: Problem[]; checked: number }> {
  const problems: Problem[] = [];
  // Not problems: a file formatted otherwise than the tool writes it (the sync leaves it so).
  const notes: Problem[] = [];
  let checked = 0;
  for (const collection of config.collections) {
    const site = await readSite(config.siteDir, collection.contentDir);
    // An unreadable file is only ours to report when it looks like ours.
    for (const file of site.unreadable) {
      if (file.text.includes('dropmark.editURL')) problems.push({ file: file.relPath, message: file.reason });
    }
    const byId = new Map<string, string>();
    for (const file of site.files) {
      if (file.id === undefined) continue;
      checked++;
      // A file can look like the tool's to the fast path and still not parse as YAML.
      if (!file.data) {
        problems.push({ file: file.relPath, message: 'front matter unreadable (not valid YAML)' });
        continue;
      }
      problems.push(...checkFile(file));
      if (!file.text.startsWith(canonicalFrontMatter(file.data))) {
        notes.push({
          file: file.relPath,
          message:
            'front matter formatted otherwise than the tool writes it (key order, quotes or folding); ' +
            'fine, it is left as it is',
        });
      }
      const other = byId.get(file.id);
      if (other)
        problems.push({ file: file.relPath, key: 'dropmark.editURL', message: `item ${file.id} is also in ${other}` });
      else byId.set(file.id, file.relPath);
    }
  }
  return { problems, notes, checked };
}

function checkFile(file: ExistingFile): Problem[] {
  const problems: Problem[] = [];
  const data = file.data ?? {};
  for (const [key, check] of Object.entries(REQUIRED)) {
    if (!(key in data)) {
      problems.push({ file: file.relPath, key, message: 'missing' });
      continue;
    }
    const why = check(data[key]);
    if (why) problems.push({ file: file.relPath, key, message: why });
  }
  if ('categories' in data) {
    const c = data['categories'];
    if (!Array.isArray(c) || c.some((x) => typeof x !== 'string')) {
      problems.push({ file: file.relPath, key: 'categories', message: 'must be a list of names' });
    }
  }
  if (typeof data['slug'] === 'string' && data['slug'] !== file.name) {
    problems.push({ file: file.relPath, key: 'slug', message: `is "${data['slug']}" but the file is ${file.name}.md` });
  }
  for (const [key, value] of Object.entries(data)) {
    for (const text of strings(value)) {
      if (SIGNED.test(text)) {
        problems.push({
          file: file.relPath,
          key,
          message: 'holds a signed URL that expires within the hour; use images.mode local',
        });
        break;
      }
      if (/[?&]key=/i.test(text) || /\/\/[^/\s:@]+:[^/\s@]+@/.test(text)) {
        problems.push({ file: file.relPath, key, message: 'holds a URL with a key or password in it; remove it' });
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
