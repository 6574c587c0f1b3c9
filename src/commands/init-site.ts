import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** What `init` found at a site's root: the generator and the folders the config points at. */
export interface SiteLayout {
  generator: 'hugo' | 'jekyll' | 'eleventy' | 'astro' | 'unknown';
  /** The file that told, for the message. */
  evidence: string;
  /** Relative to the site root, with `/`. */
  contentDir: string;
  imagesDir: string;
  urlPrefix: string;
}

const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml'];

/** The other generators by their config files, and where their posts and images conventionally go. */
const OTHERS: readonly (Omit<SiteLayout, 'evidence'> & { configs: readonly string[] })[] = [
  {
    generator: 'jekyll',
    configs: ['_config.yml', '_config.yaml', '_config.toml'],
    contentDir: '_posts',
    imagesDir: 'assets/img/posts',
    urlPrefix: '/assets/img/posts',
  },
  {
    generator: 'eleventy',
    configs: ['eleventy.config.js', 'eleventy.config.mjs', 'eleventy.config.cjs', '.eleventy.js'],
    contentDir: 'posts',
    imagesDir: 'img/posts',
    urlPrefix: '/img/posts',
  },
  {
    generator: 'astro',
    configs: ['astro.config.mjs', 'astro.config.ts', 'astro.config.js'],
    contentDir: 'src/content/blog',
    imagesDir: 'public/img/blog',
    urlPrefix: '/img/blog',
  },
];

/**
 * Jekyll, Eleventy and Astro by their config files, with their conventional folders.
 * Hugo by its config file; its `contentDir` and `staticDir` when set at the top level
 * (default `content`, `static`); posts into `posts` or `post` when one exists (else `post`,
 * the tool's default), images under `<static>/img/<section>`.
 */
export async function detectSite(root: string): Promise<SiteLayout> {
  const evidence = HUGO_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (!evidence) {
    for (const { configs, ...layout } of OTHERS) {
      const found = configs.find((f) => existsSync(path.join(root, f)));
      if (found) return { ...layout, evidence: found };
    }
    return {
      generator: 'unknown',
      evidence: '',
      contentDir: 'content/post',
      imagesDir: 'static/img/content/post',
      urlPrefix: '/img/content/post',
    };
  }
  const text = await readFile(path.join(root, evidence), 'utf8');
  const content = topLevelSetting(text, 'contentDir') ?? 'content';
  const statics = topLevelSetting(text, 'staticDir') ?? 'static';
  const section = ['posts', 'post'].find((s) => existsSync(path.join(root, content, s))) ?? 'post';
  return {
    generator: 'hugo',
    evidence,
    contentDir: `${content}/${section}`,
    imagesDir: `${statics}/img/${section}`,
    urlPrefix: `/img/${section}`,
  };
}

/**
 * A top-level `key = "value"` (TOML, before the first table) or `key: value` (YAML, not
 * indented). Enough for the two settings read here; anything else (JSON, a setting in a
 * table) keeps the default, which the written config names so a person can correct it.
 */
function topLevelSetting(text: string, key: string): string | undefined {
  const setting = new RegExp(`^${key}\\s*[=:]\\s*["']?([^"'#\\s]+)["']?\\s*(?:#.*)?$`);
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) return undefined;
    const value = setting.exec(line.trimEnd())?.[1];
    if (value) return value.replace(/\/+$/, '');
  }
  return undefined;
}
