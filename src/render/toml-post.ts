import { isDeepStrictEqual } from 'node:util';
import { parse as parseToml, stringify as stringifyToml, TomlDate } from 'smol-toml';
import { describeError, RenderError } from '../errors.js';
import type { FrontMatterEntry } from '../map/front-matter-entries.js';
import type { Post } from '../map/post.js';
import { Timestamp } from '../frontmatter/profiles.js';

/**
 * A post with TOML front matter between `+++` lines (Hugo's): the profile's keys in order,
 * then a person's keys sorted. smol-toml writes tables (such as bookmark's `source`) after
 * the plain keys, as TOML requires. Read back before it is returned, like the YAML files.
 */
export function renderTomlPost(
  post: Post,
  entries: readonly FrontMatterEntry[],
  extra: readonly string[],
  kept: Readonly<Record<string, unknown>>,
  unlessSameAs: string | undefined,
): string {
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of entries) values[key] = value instanceof Timestamp ? new TomlDate(value.text) : value;
  for (const key of extra) if (!(key in values)) values[key] = tomlSafe(kept[key]);
  let frontMatter: string;
  try {
    frontMatter = stringifyToml(values);
  } catch (error) {
    throw new RenderError(`item ${post.id}: front matter cannot be written as TOML (${describeError(error)})`, {
      itemId: post.id,
    });
  }
  if (!frontMatter.endsWith('\n')) frontMatter += '\n';
  const text = `+++\n${frontMatter}+++\n${post.body}`;
  if (text !== unlessSameAs) checkTomlReadsBack(frontMatter, values, post.id);
  return text;
}

/** A person's key as TOML can hold it: TOML has no null, so a null is left out. */
function tomlSafe(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(tomlSafe);
  if (typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = tomlSafe(v);
    return out;
  }
  return value;
}

function checkTomlReadsBack(frontMatter: string, meant: Record<string, unknown>, id: string): void {
  let read: unknown;
  try {
    read = parseToml(frontMatter);
  } catch (error) {
    throw new RenderError(`item ${id}: rendered front matter is not valid TOML (${describeError(error)})`, {
      itemId: id,
    });
  }
  // Dates on both sides become their ISO text; keys left undefined drop out, as TOML has none.
  const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
  if (!isDeepStrictEqual(plain(read), plain(meant))) {
    throw new RenderError(
      `item ${id}: rendered front matter does not read back to the values meant; the file was not written. ` +
        'Please report this item to the dropmark-sync maintainers',
      { itemId: id },
    );
  }
}
