import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';

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

/** Returns undefined when the text has no front matter; throws when it has one that cannot be read. */
export function parseFrontMatter(text: string): ParsedFile | undefined {
  if (!text.startsWith('---')) return undefined;
  // Passing options also turns off gray-matter's cache, which would keep every file in memory.
  const file = matter(text, OPTIONS as unknown as Parameters<typeof matter>[1]);
  const data: unknown = file.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error('front matter is not a mapping of keys');
  }
  return { data: data as Record<string, unknown>, body: file.content };
}
