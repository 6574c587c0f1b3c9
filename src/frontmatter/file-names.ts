/**
 * A collection's file-name pattern ("{slug}.md", "{date}-{slug}.md", "{id}.md"): checked by
 * the config, used by the mapping to name each post and by the site index to tell which
 * names the pattern could have produced (a name it could not is renamed when the pattern
 * changes). Shared, like post-keys.ts.
 */

const TOKENS = ['slug', 'id', 'date'] as const;
export type FileNameToken = (typeof TOKENS)[number];
export type FileNameValues = Record<FileNameToken, string>;

const TOKEN_PATTERN: Record<FileNameToken, string> = {
  // Anything: an owned file a person renamed keeps its name under "{slug}.md" (mode keep).
  slug: '(?<slug>.+)',
  id: '(?<id>[0-9]+)',
  date: '(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})',
};

/** Why the pattern cannot name files, or undefined. */
export function fileNameProblem(pattern: string): string | undefined {
  if (!pattern.endsWith('.md')) return 'must end in .md (the files are Markdown)';
  const stem = pattern.slice(0, -'.md'.length);
  if (/[/\\]/.test(stem)) return 'must be a file name, not a path: the folder is contentDir';
  for (const m of stem.matchAll(/\{([^}]*)\}/g)) {
    if (!(TOKENS as readonly string[]).includes(m[1] ?? ''))
      return `has an unknown token {${m[1]}}; the tokens are {slug}, {id} and {date}`;
  }
  if (/[{}]/.test(stem.replace(/\{(slug|id|date)\}/g, '')))
    return 'has a stray { or }; the tokens are {slug}, {id} and {date}';
  if (!stem.includes('{slug}') && !stem.includes('{id}'))
    return 'must hold {slug} or {id}, so that no two items share a file';
  if ((stem.match(/\{slug\}/g) ?? []).length > 1 || (stem.match(/\{id\}/g) ?? []).length > 1)
    return 'may hold {slug} and {id} once each';
  // A token never gives a leading dot (slugs, ids and dates start with a letter or digit): only the pattern's text can.
  if (stem.startsWith('.')) return 'must not start with "." (a hidden file)';
  if (/[^A-Za-z0-9._{}-]/.test(stem)) return 'may hold only letters, digits, ".", "_", "-" besides its tokens';
  return undefined;
}

/** The name (without `.md`) the pattern gives these values. */
export function fileNameOf(pattern: string, values: FileNameValues): string {
  return pattern.slice(0, -'.md'.length).replace(/\{(slug|id|date)\}/g, (_, token: FileNameToken) => values[token]);
}

/** Each pattern's RegExp, made once: a pass reads every item's name through it. */
const compiled = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    const source = pattern
      .slice(0, -'.md'.length)
      .split(/(\{(?:slug|id|date)\})/)
      .map((part) => {
        const token = /^\{(slug|id|date)\}$/.exec(part)?.[1] as FileNameToken | undefined;
        return token ? TOKEN_PATTERN[token] : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    re = new RegExp(`^${source}$`);
    compiled.set(pattern, re);
  }
  return re;
}

/** The values a name (without `.md`) was made of, or undefined when the pattern could not have made it. */
export function parseFileName(pattern: string, name: string): Partial<FileNameValues> | undefined {
  const groups = patternRegExp(pattern).exec(name)?.groups;
  if (!groups) return undefined;
  const out: Partial<FileNameValues> = {};
  for (const token of TOKENS) if (groups[token] !== undefined) out[token] = groups[token];
  return out;
}

/**
 * The form in which two file names are one name to the tool: Unicode NFC, then lower case. A case-insensitive
 * file system (macOS, Windows) holds only one of `About.md` and `about.md`, and macOS also takes the NFC and NFD
 * spellings of `Café` for one name; a clone of the site on such a system would lose one of the two files. Upper
 * then lower case folds a little more than some file systems do (`ß` meets `ss`): two names taken for one that
 * are not cost only a `-<id>` suffix, two taken for two that are cost a file. Slugs are `[a-z0-9-]`, so only a
 * person's own file names and folders hold such letters.
 */
export function nameKey(name: string): string {
  // Upper, then lower: letters with one upper form meet (`ſ` and `s`; the Kelvin sign and `k` meet in lower).
  return name.normalize('NFC').toUpperCase().toLowerCase();
}
