import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ASTRO_PAGE,
  astroContentConfig,
  ELEVENTY_POST,
  eleventyConfig,
  HUGO_SINGLE,
  JEKYLL_POST,
} from './init-layouts.js';
import type { NewFile } from './init-files.js';
import { ELEVENTY_CONFIGS, passthroughFolders, type SiteLayout } from './init-site.js';
import { hugoOtherLayout, jekyllOtherLayout, LINK_PARAM } from './init-themes.js';

/** What `init` does to a site beside writing its own config, and what it leaves to a person. */
export interface SiteSetup {
  files: NewFile[];
  /** Files kept as they are, each with what to check. */
  kept: string[];
  /** Jekyll: the `_config.yml` whose `exclude` gets the tool's files. */
  jekyllConfig?: string;
  /** Steps a person has to do, said once init is done. */
  byHand: string[];
}

const LAYOUT = 'a minimal post layout: title, date, link, image and tags';

/** Where each generator's post layout is, and the one init writes when the site has none there. */
function postLayout(site: SiteLayout): NewFile | undefined {
  switch (site.generator) {
    case 'hugo':
      return { file: `layouts/${path.posix.basename(site.contentDir)}/single.html`, text: HUGO_SINGLE, what: LAYOUT };
    case 'jekyll':
      return { file: '_layouts/post.html', text: JEKYLL_POST, what: LAYOUT };
    case 'eleventy':
      return { file: '_includes/post.liquid', text: ELEVENTY_POST, what: LAYOUT };
    case 'astro':
      return { file: 'src/pages/blog/[...slug].astro', text: ASTRO_PAGE, what: `${LAYOUT} (a page per post)` };
    default:
      return undefined;
  }
}

/**
 * The layout (unless the site has one where the generator looks), and per generator what
 * makes the synced posts and images show and keeps the tool's files out of the output:
 * Jekyll's `exclude`, Eleventy's image passthrough, Astro's content config.
 */
export async function planSiteSetup(root: string, site: SiteLayout): Promise<SiteSetup> {
  const setup: SiteSetup = { files: [], kept: [], byHand: [] };
  await planLayout(root, site, setup);
  if (site.generator === 'jekyll' && site.evidence !== '_config.toml') setup.jekyllConfig = site.evidence;
  if (site.generator === 'jekyll' && site.evidence === '_config.toml')
    setup.byHand.push('_config.toml: add dropmark-sync.yaml and data/dropmark-sync to exclude');
  if (site.generator === 'eleventy') await eleventyImages(root, site, setup);
  if (site.generator === 'astro' && site.astroContentConfig === undefined)
    setup.files.push({
      file: 'src/content.config.ts',
      text: astroContentConfig(site.contentDir),
      what: "the blog collection's schema, with link and tags",
    });
  return setup;
}

/**
 * The post layout: none when the site has one at its place (said when it shows no link), nor
 * when a theme or the site's default layout renders the posts (one at the post's place would
 * win over it); the note says where the link is for that layout to show.
 */
async function planLayout(root: string, site: SiteLayout, setup: SiteSetup): Promise<void> {
  const layout = postLayout(site);
  if (layout === undefined) return;
  const existing = await existingLayout(root, site, layout.file);
  if (existing !== undefined) {
    if (!/\blink\b/.test(await readFile(path.join(root, existing), 'utf8')))
      setup.kept.push(`${existing} (yours; it does not show a post's link, see docs/profiles.md)`);
    return;
  }
  const themed = site.generator === 'hugo' || site.generator === 'jekyll' ? site.generator : undefined;
  const other = themed === undefined ? undefined : await OTHER_LAYOUT[themed](root, site);
  if (themed === undefined || other === undefined) {
    setup.files.push(layout);
    return;
  }
  const which = 'file' in other ? other.file : `the post layout of theme ${other.theme}`;
  setup.kept.push(
    `${which}, which shows the posts (no ${layout.file} written); a post's link is in ` +
      `${LINK_PARAM[themed]}, for it to show (see docs/profiles.md)`,
  );
}

/** Only Hugo and Jekyll sites take themes (or a default layout) that render posts elsewhere. */
const OTHER_LAYOUT = { hugo: hugoOtherLayout, jekyll: jekyllOtherLayout } as const;

/** The site's own file at the layout's place; for Astro, any dynamic route of the blog pages. */
async function existingLayout(root: string, site: SiteLayout, file: string): Promise<string | undefined> {
  if (existsSync(path.join(root, file))) return file;
  if (site.generator !== 'astro') return undefined;
  const pages = await readdir(path.join(root, 'src/pages/blog')).catch(() => [] as string[]);
  const route = pages.find((name) => name.startsWith('[') && name.endsWith('.astro'));
  return route === undefined ? undefined : `src/pages/blog/${route}`;
}

/** A site without an Eleventy config gets one that copies the images and files; one with a config is told the lines. */
async function eleventyImages(root: string, site: SiteLayout, setup: SiteSetup): Promise<void> {
  const config = ELEVENTY_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (config === undefined) {
    setup.files.push({
      file: 'eleventy.config.mjs',
      text: eleventyConfig(site.imagesDir, site.filesDir),
      what: `copies ${site.imagesDir} and ${site.filesDir} into the built site`,
    });
    return;
  }
  const folders = passthroughFolders(await readFile(path.join(root, config), 'utf8'));
  const copied = (dir: string) => folders.some((f) => dir === f || dir.startsWith(`${f}/`));
  for (const [dir, what] of [
    [site.imagesDir, 'image'],
    [site.filesDir, 'uploaded file'],
  ] as const)
    if (!copied(dir))
      setup.byHand.push(
        `${config}: add eleventyConfig.addPassthroughCopy(${JSON.stringify(dir)}); ` +
          `Eleventy copies no ${what} unless told to`,
      );
}
