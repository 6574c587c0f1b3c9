import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageNames, type SitePackage } from './site-package.js';

export type Generator = 'hugo' | 'jekyll' | 'eleventy' | 'astro';

/** Each generator's name with its article ("an Eleventy site"). */
export const GENERATOR_NAMES = {
  hugo: 'a Hugo',
  jekyll: 'a Jekyll',
  eleventy: 'an Eleventy',
  astro: 'an Astro',
} as const satisfies Record<Generator, string>;

/** What `init` found at a site's root: the generator and the folders the config points at. */
export interface SiteLayout {
  generator: Generator | 'unknown';
  /** The file that told, for the message. */
  evidence: string;
  /** Relative to the site root, with `/`. */
  contentDir: string;
  imagesDir: string;
  urlPrefix: string;
  /** Where uploaded files go, in a folder the generator publishes at `filesUrlPrefix`. */
  filesDir: string;
  filesUrlPrefix: string;
  /**
   * Astro only: how the site's content config reads `heroImage`. `image` (the blog starter's
   * `image()`): the image is a path relative to the post, under `src/`, which Astro optimizes;
   * `string`: a site path under `public/`.
   */
  astroImages?: 'image' | 'string';
  /** Astro only: the content config found (none: init writes one). */
  astroContentConfig?: string;
}

export const ELEVENTY_CONFIGS = ['eleventy.config.js', 'eleventy.config.mjs', 'eleventy.config.cjs', '.eleventy.js'];

const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml'];

type Convention = Omit<SiteLayout, 'evidence'> & {
  generator: Exclude<Generator, 'hugo'>;
  configs: readonly string[];
  /** The npm package that makes a site this generator's when it has no config file (Eleventy needs none). */
  dependency?: string;
};

/** The other generators by their config files, and where their posts and images conventionally go. */
const OTHERS: readonly Convention[] = [
  {
    generator: 'jekyll',
    configs: ['_config.yml', '_config.yaml', '_config.toml'],
    contentDir: '_posts',
    imagesDir: 'assets/img/posts',
    urlPrefix: '/assets/img/posts',
    // Jekyll copies every folder whose name does not start with _ or . as it is.
    filesDir: 'assets/files',
    filesUrlPrefix: '/assets/files',
  },
  {
    generator: 'eleventy',
    configs: ELEVENTY_CONFIGS,
    dependency: '@11ty/eleventy',
    contentDir: 'posts',
    imagesDir: 'img/posts',
    urlPrefix: '/img/posts',
    filesDir: 'files',
    filesUrlPrefix: '/files',
  },
  {
    generator: 'astro',
    configs: ['astro.config.mjs', 'astro.config.ts', 'astro.config.js', 'astro.config.mts'],
    dependency: 'astro',
    contentDir: 'src/content/blog',
    imagesDir: 'public/img/blog',
    urlPrefix: '/img/blog',
    filesDir: 'public/files',
    filesUrlPrefix: '/files',
  },
];

/** Astro 5's content config, then the older place Astro still reads. */
export const ASTRO_CONTENT_CONFIGS = ['ts', 'mts', 'js', 'mjs'].flatMap((ext) => [
  `src/content.config.${ext}`,
  `src/content/config.${ext}`,
]);

/**
 * Hugo by its config file; its `contentDir` and `staticDir` when set at the top level
 * (default `content`, `static`); posts into `posts` or `post` when one exists (else `post`,
 * the tool's default), images under `<static>/img/<section>`, files in `<static>/files`. Jekyll, Eleventy and Astro by
 * their config files, or (Eleventy, Astro) by the site's package.json, with their conventional
 * folders; Astro's images where its content config reads them.
 */
export async function detectSite(root: string, pkg: SitePackage | undefined): Promise<SiteLayout> {
  const evidence = HUGO_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (evidence) return hugoSite(root, evidence);
  const dependencies = packageNames(pkg);
  for (const { configs, dependency, ...layout } of OTHERS) {
    const found =
      configs.find((f) => existsSync(path.join(root, f))) ??
      (dependency !== undefined && dependencies.has(dependency) ? 'package.json' : undefined);
    if (found === undefined) continue;
    if (layout.generator === 'astro') return astroSite(root, { ...layout, evidence: found });
    if (layout.generator === 'eleventy') return eleventySite(root, { ...layout, evidence: found });
    return { ...layout, evidence: found };
  }
  return {
    generator: 'unknown',
    evidence: '',
    contentDir: 'content/post',
    imagesDir: 'static/img/content/post',
    urlPrefix: '/img/content/post',
    filesDir: 'static/files',
    filesUrlPrefix: '/files',
  };
}

async function hugoSite(root: string, evidence: string): Promise<SiteLayout> {
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
    filesDir: `${statics}/files`,
    filesUrlPrefix: '/files',
  };
}

/**
 * A content config that reads `heroImage` with `image()` (the blog starter's) needs the image
 * as a path relative to the post, in a folder Astro bundles; one that reads a string, a site
 * path under `public/`. With none, init writes one that reads `image()`.
 */
async function astroSite(root: string, layout: SiteLayout): Promise<SiteLayout> {
  const config = ASTRO_CONTENT_CONFIGS.find((f) => existsSync(path.join(root, f)));
  const text = config === undefined ? undefined : await readFile(path.join(root, config), 'utf8');
  const imageSchema = text === undefined || /\bheroImage\s*:\s*(?:z\s*\.\s*optional\s*\(\s*)?image\s*\(/.test(text);
  if (!imageSchema) return { ...layout, astroImages: 'string', ...(config ? { astroContentConfig: config } : {}) };
  const imagesDir = 'src/assets/blog';
  return {
    ...layout,
    imagesDir,
    urlPrefix: path.posix.relative(layout.contentDir, imagesDir),
    astroImages: 'image',
    ...(config ? { astroContentConfig: config } : {}),
  };
}

/**
 * Eleventy copies only what its config passes through: the images and files go under the first
 * folder it already copies (`assets` -> `assets/img/posts`, `assets/files`), else into
 * `img/posts` and `files`, which init has copied.
 */
async function eleventySite(root: string, layout: SiteLayout): Promise<SiteLayout> {
  const config = ELEVENTY_CONFIGS.find((f) => existsSync(path.join(root, f)));
  const text = config === undefined ? '' : await readFile(path.join(root, config), 'utf8');
  const folder = passthroughFolders(text)[0];
  if (folder === undefined) return layout;
  const imagesDir = /(^|\/)(img|images)$/.test(folder) ? `${folder}/posts` : `${folder}/img/posts`;
  const filesDir = `${folder}/files`;
  return { ...layout, imagesDir, urlPrefix: `/${imagesDir}`, filesDir, filesUrlPrefix: `/${filesDir}` };
}

/** The folders an Eleventy config copies as they are: each `addPassthroughCopy("folder")` with a plain path. */
export function passthroughFolders(text: string): string[] {
  const calls = text.matchAll(/addPassthroughCopy\(\s*(['"`])([^'"`*{}?]+)\1\s*\)/g);
  return [...calls]
    .map((m) => (m[2] as string).replace(/^\.?\/+|\/+$/g, ''))
    .filter((f) => f !== '' && !/\.\w+$/.test(f));
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
