import { isDeepStrictEqual } from 'node:util';
import matter from 'gray-matter';
import { parse as parseToml, TomlDate } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { describeError } from '../errors.js';
import { withLfLines } from '../text/line-ends.js';

export interface ParsedFile {
  data: Record<string, unknown>;
  body: string;
}

const refuse = (language: string) => () => {
  throw new Error(`front matter in ${language} is not read: it would run code`);
};

/**
 * Front matter of a file in the content dir, which anyone (or the feed, through an earlier
 * sync) may have written: gray-matter with its JavaScript engines replaced by ones that
 * refuse (`---js` front matter is eval'd otherwise), and YAML read by the `yaml` package
 * with its core schema (no custom tags, no code).
 */
const OPTIONS = {
  language: 'yaml',
  engines: {
    yaml: (text: string) => parseYaml(text, { schema: 'core', uniqueKeys: false, maxAliasCount: 100 }) as object,
    js: refuse('js'),
    javascript: refuse('javascript'),
    coffee: refuse('coffee'),
    coffeescript: refuse('coffeescript'),
    cson: refuse('cson'),
  },
} as const;

/**
 * Returns undefined when the text has no front matter; throws when it has one that cannot be read. A text in CRLF
 * lines is read as LF (gray-matter would leave a `\r` at the end of the last value).
 */
export function parseFrontMatter(onDisk: string): ParsedFile | undefined {
  const text = withLfLines(onDisk);
  if (text.startsWith('+++')) return parseTomlFrontMatter(text);
  if (!text.startsWith('---')) return undefined;
  // Passing options also turns off gray-matter's cache, which would keep every file in memory.
  const file = matter(text, OPTIONS as unknown as Parameters<typeof matter>[1]);
  const data: unknown = file.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error('front matter is not a mapping of keys');
  }
  return { data: data as Record<string, unknown>, body: file.content };
}

/**
 * The two bodies when `onDisk` begins, byte for byte, with the whole front matter block of `rendered` (a text the tool
 * rendered: `---`, its YAML, `---`): then both read to the same values (the parser stops at the same closing line in
 * both), and only the bodies differ, found without parsing any YAML. Undefined otherwise (TOML, another front matter).
 */
export function bodiesUnderSameFrontMatter(onDisk: string, rendered: string): [string, string] | undefined {
  if (!rendered.startsWith('---\n')) return undefined;
  const close = rendered.indexOf('\n---', 3);
  if (close === -1 || rendered[close + 4] !== '\n') return undefined;
  const end = close + 5;
  if (!onDisk.startsWith(rendered.slice(0, end))) return undefined;
  return [onDisk.slice(end), rendered.slice(end)];
}

/** A file's front matter and body, or undefined where it has none that parses. */
export function parsedOrUndefined(onDisk: string): ParsedFile | undefined {
  try {
    return parseFrontMatter(onDisk);
  } catch {
    return undefined;
  }
}

/**
 * The keys whose values differ between two readings of a post, in byte order, then `body` when the bodies differ:
 * what a reviewer is told changed in an updated file. A side that does not parse counts as empty.
 */
export function keysChanged(before: ParsedFile | undefined, after: ParsedFile | undefined): string[] {
  const a = before?.data ?? {};
  const b = after?.data ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changed = keys.filter((k) => !isDeepStrictEqual(a[k], b[k]));
  if ((before?.body ?? '') !== (after?.body ?? '')) changed.push('body');
  return changed;
}

/**
 * Why a file's front matter cannot be read (the parser's first line), or undefined when it can:
 * the one wording of a broken file, whichever way the file was read first.
 */
export function unreadableFrontMatter(onDisk: string): string | undefined {
  try {
    parseFrontMatter(onDisk);
    return undefined;
  } catch (error) {
    return frontMatterUnreadable(error);
  }
}

export function frontMatterUnreadable(error: unknown): string {
  return `front matter unreadable (${describeError(error).split('\n')[0]})`;
}

/**
 * Hugo's TOML front matter, between `+++` lines. Its dates stay dates (smol-toml's `TomlDate`,
 * which writes back the same kind: a date, a local time, an offset date-time; times gain
 * smol-toml's `.000` once): a person's `published = 2020-01-02` must not come back quoted.
 * Where the tool reads a value of its own, `dateAsText` makes it text, as YAML gives it.
 */
function parseTomlFrontMatter(text: string): ParsedFile {
  const open = text.indexOf('\n');
  if (open === -1 || text.slice(0, open).trimEnd() !== '+++') throw new Error('the +++ line has other text on it');
  const close = text.indexOf('\n+++', open);
  if (close === -1) throw new Error('no closing +++ line');
  let bodyStart = close + 4;
  if (text[bodyStart] === '\r') bodyStart++;
  if (text[bodyStart] === '\n') bodyStart++;
  const data = parseToml(text.slice(open + 1, close + 1)) as Record<string, unknown>;
  return { data, body: text.slice(bodyStart) };
}

/** A TOML date as the RFC 3339 text YAML front matter holds; any other value as it is. */
export function dateAsText(value: unknown): unknown {
  return value instanceof TomlDate ? value.toISOString().replace('.000Z', 'Z') : value;
}

/** What a sync needs from a file it wrote itself, read without a YAML parser. */
export interface QuickFields {
  editUrl: string;
  socialScore?: number;
  socialScoreSimulated: boolean;
  date?: string;
  body: string;
}

const QUICK_KEY = /^([A-Za-z][A-Za-z0-9.]*):(?: (.*))?$/;
/** The keys whose values quickFrontMatter reads. */
const READ_KEYS: ReadonlySet<string> = new Set(['dropmark.editURL', 'socialScore', 'socialScoreSimulated', 'date']);

/**
 * A fast path for the files this tool writes (reading 100k files through a YAML parser is
 * most of a no-op pass): the lines of its own emitter are simple. Anything unusual (a key
 * the tool does not manage, a comment, a quoted URL, another layout) returns undefined and
 * the file goes through gray-matter and the YAML parser instead, so the fast path can only
 * be right or step aside.
 */
export function quickFrontMatter(text: string, managed: ReadonlySet<string>): QuickFields | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const close = text.indexOf('\n---', 3);
  if (close === -1) return undefined;
  let bodyStart = close + 4;
  if (text[bodyStart] === '\r') bodyStart++;
  if (text[bodyStart] === '\n') bodyStart++;
  else if (bodyStart !== text.length) return undefined;
  const fields: Partial<QuickFields> & { socialScoreSimulated: boolean } = { socialScoreSimulated: false };
  let start = 4;
  // Whether the last key is one whose value is read here: that value is its line's, nothing may continue it.
  let reading = false;
  while (start <= close) {
    let end = text.indexOf('\n', start);
    if (end === -1 || end > close) end = close;
    const line = text.slice(start, end);
    start = end + 1;
    const first = line.charCodeAt(0);
    // Continuation lines, sequence items and empty lines of literal blocks are the values of managed keys. A dash is
    // a sequence item only with a space or nothing after it: `-draft: true` is a key (a person's), for the parser.
    // Never of a key read here: YAML reads `dropmark.editURL: https://…/7` and a line `  /8` as `https://…/7 /8`.
    if (line === '') continue;
    if (first === 32 /* space */ || (first === 45 /* - */ && isSequenceItem(line))) {
      if (reading) return undefined;
      continue;
    }
    const m = QUICK_KEY.exec(line);
    const key = m?.[1];
    if (!m || key === undefined || !managed.has(key)) return undefined;
    reading = READ_KEYS.has(key);
    const value = m[2] ?? '';
    if (key === 'dropmark.editURL') {
      if (!/^https?:\/\/[^\s'"#]+$/.test(value)) return undefined;
      fields.editUrl = value;
    } else if (key === 'socialScore') {
      if (!/^\d{1,9}$/.test(value)) return undefined;
      fields.socialScore = Number(value);
    } else if (key === 'socialScoreSimulated') {
      if (value !== 'true' && value !== 'false') return undefined;
      fields.socialScoreSimulated = value === 'true';
    } else if (key === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return undefined;
      fields.date = value;
    }
  }
  if (fields.editUrl === undefined) return undefined;
  return { ...fields, editUrl: fields.editUrl, body: text.slice(bodyStart) };
}

/** A line that starts a block sequence's item: `-` alone, or `- ` and the item. */
function isSequenceItem(line: string): boolean {
  return line.length === 1 || line.charCodeAt(1) === 32 /* space */;
}
