import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { describeError, RenderError } from '../errors.js';
import { frontMatterEntries } from '../map/front-matter-entries.js';
import type { Post } from '../map/post.js';
import { BOOKMARK_LAYOUT, isReference, Timestamp, type FileLayout } from '../frontmatter/profiles.js';
import { renderTomlPost } from './toml-post.js';
import { emitYaml, PlainScalar, type YamlMap, type YamlValue } from './yaml-emitter.js';
import { OUTSIDE, readEmittedYaml } from './yaml-subset-reader.js';

/** renderPost's `unlessSameAs` for a rendering that only compares its text with a file: no read-back check. */
export const NOT_WRITTEN = Symbol('not written');

/**
 * A post -> the file's text: `---\n`, the front matter, `---\n`, then the body verbatim.
 * `kept` holds keys a person added to the file by hand; they are written back in their
 * sorted place. A key the shape writes too is the tool's, unless the layout names it among the
 * file's `personal` keys: then the person's value is written, not the tool's. The front matter
 * is read back and compared with the values meant before anything is returned, so a file that
 * would read differently is never written; when the text is exactly the file already on disk
 * (`unlessSameAs`), nothing will be written and the check is skipped (it is the costliest step
 * of a no-op pass); so it is for a rendering that writes nothing (NOT_WRITTEN).
 */
export function renderPost(
  post: Post,
  kept: Readonly<Record<string, unknown>> = {},
  unlessSameAs?: string | typeof NOT_WRITTEN,
  layout: FileLayout = BOOKMARK_LAYOUT,
): string {
  const personal = layout.personal;
  let entries = frontMatterEntries(post.fields, layout.shape, post.id, post.created);
  if (personal) entries = entries.filter(([key]) => !personal.has(key));
  const extra = sortBytewise(Object.keys(kept).filter((key) => !layout.managed.has(key) || personal?.has(key)));
  // A TOML file is never rendered only to be compared (site/read.ts holds only YAML ones compact).
  if (layout.shape.format === 'toml')
    return renderTomlPost(post, entries, extra, kept, typeof unlessSameAs === 'string' ? unlessSameAs : undefined);
  // Prototype-free maps: a key named `__proto__` (a person may add anything) stays a key.
  const values: Record<string, YamlValue> = bareMap();
  for (const key of extra) values[key] = toYamlValue(kept[key]);
  for (const [key, value] of entries)
    values[key] = value instanceof Timestamp ? new PlainScalar(value.text) : toYamlValue(value);
  // bookmark: every key sorted, as go-yaml wrote them; the other profiles: theirs in order, a person's after.
  const order = isReference(layout.shape.profile)
    ? sortBytewise(Object.keys(values))
    : [...new Set([...entries.map(([k]) => k), ...extra])];
  const ordered: YamlMap = bareMap();
  for (const key of order) ordered[key] = values[key] as YamlValue;

  const frontMatter = emitYaml(ordered);
  const text = `---\n${frontMatter}---\n${post.body}`;
  if (unlessSameAs !== NOT_WRITTEN && text !== unlessSameAs) checkReadsBack(frontMatter, ordered, post.id);
  return text;
}

/**
 * The front matter the tool would write for these values, in its own key order and style
 * (`validate` notes files formatted otherwise; a sync leaves them alone when they mean the same).
 */
export function canonicalFrontMatter(data: Readonly<Record<string, unknown>>): string {
  const sorted: YamlMap = bareMap();
  for (const key of sortBytewise(Object.keys(data))) {
    const value = data[key];
    sorted[key] = key === 'date' && typeof value === 'string' ? new PlainScalar(value) : toYamlValue(value);
  }
  return `---\n${emitYaml(sorted)}---\n`;
}

/**
 * Sorted in UTF-8 byte order, which is code point order. For ASCII keys (all the tool's own) the
 * default sort, by UTF-16 unit, agrees with it; it is told once for all the keys, not per comparison.
 */
function sortBytewise(keys: string[]): string[] {
  if (keys.every((key) => /^[\x00-\x7f]*$/.test(key))) return keys.sort();
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Values read from a YAML file by hand-editing people: keep what YAML can hold. */
function toYamlValue(value: unknown): YamlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toYamlValue);
  // A TOML file's date (a profile moved from TOML to YAML): its text, in the form it was written.
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: YamlMap = bareMap();
    for (const [k, v] of Object.entries(value)) out[k] = toYamlValue(v);
    return out;
  }
  return String(value);
}

function plainData(value: YamlValue): unknown {
  if (value instanceof PlainScalar) return value.text;
  if (Array.isArray(value)) return value.map(plainData);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainData(v)]));
  }
  return value;
}

/**
 * The front matter must read back as the values meant. The emitter's own forms are read by the
 * subset reader; a text it steps aside from, or one it reads as other values, goes to the full
 * `yaml` parser, whose verdict stands.
 */
function checkReadsBack(frontMatter: string, meant: YamlMap, id: string): void {
  const quick = readEmittedYaml(frontMatter);
  if (quick !== OUTSIDE && readsAs(quick, meant)) return;
  let read: unknown;
  try {
    read = parseYaml(frontMatter, { schema: 'core', uniqueKeys: false });
  } catch (error) {
    throw new RenderError(`item ${id}: rendered front matter is not valid YAML (${describeError(error)})`, {
      itemId: id,
    });
  }
  if (!isDeepStrictEqual(read, plainData(meant))) {
    throw new RenderError(
      `item ${id}: rendered front matter does not read back to the values meant; the file was not written. ` +
        `Please report this item to the dropmark-sync maintainers`,
      { itemId: id },
    );
  }
}

/** Deep equality of what was read and the values meant (a PlainScalar reads as its text); numbers as Object.is. */
function readsAs(read: unknown, meant: YamlValue): boolean {
  if (meant instanceof PlainScalar) return read === meant.text;
  if (Array.isArray(meant)) {
    if (!Array.isArray(read) || read.length !== meant.length) return false;
    return meant.every((value, i) => readsAs(read[i], value));
  }
  if (meant === null || typeof meant !== 'object') return Object.is(read, meant);
  if (read === null || typeof read !== 'object' || Array.isArray(read)) return false;
  const keys = Object.keys(meant);
  const got = read as Record<string, unknown>;
  if (Object.keys(got).length !== keys.length) return false;
  return keys.every((key) => Object.hasOwn(got, key) && readsAs(got[key], meant[key] as YamlValue));
}

function bareMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
