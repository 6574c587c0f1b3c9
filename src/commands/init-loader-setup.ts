import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readNoFollow } from '../fs/no-follow.js';
import { LOADER_DEFAULTS } from '../config/loader-defaults.js';
import type { NewFile } from './init-files.js';
import {
  ASTRO_COLLECTION,
  ASTRO_LOADER_IMPORT,
  ASTRO_LOADER_PAGE,
  ASTRO_LOADER_PAGE_FILE,
  ASTRO_PAGE_DIR,
  astroCollection,
  astroLoaderConfig,
  ELEVENTY_LOADER_PAGE,
  ELEVENTY_LOADER_PAGE_FILE,
  ELEVENTY_PLUGIN_IMPORT,
  eleventyLoaderConfig,
  eleventyPluginCall,
} from './init-loader-templates.js';
import { ASTRO_CONTENT_CONFIGS, ELEVENTY_CONFIGS } from './init-site.js';
import type { SitePackage } from './site-package.js';

/** The generators a loader is for. */
export type LoaderGenerator = keyof typeof LOADER_DEFAULTS;

/** What `init --mode loader` does to a site: new files only; a file of the site's own is left as it is. */
export interface LoaderSetup {
  files: NewFile[];
  /** The site's own files that already do the job, each with why. */
  kept: string[];
  /** What a person adds to a file of the site's own: a step, then the code, indented. */
  byHand: string[];
  /** The site's own files those steps edit (to commit once edited). */
  edits: string[];
  /** The .gitignore lines: the folders the build downloads into (and caches in). */
  ignores: string[];
}

const CONFIG_NAME = 'dropmark-sync.yaml';
const PAGE = 'a page per item: title, date, link, image';

/** The loader's config (or the lines to add to the site's), a page per item where none is, the ignored folders. */
export async function planLoaderSetup(
  root: string,
  generator: LoaderGenerator,
  endpoint: string,
  pkg: SitePackage | undefined,
): Promise<LoaderSetup> {
  const setup: LoaderSetup = { files: [], kept: [], byHand: [], edits: [], ignores: ignoredFolders(root, generator) };
  if (generator === 'astro') await planAstro(root, endpoint, setup);
  else await planEleventy(root, endpoint, setup, pkg);
  if (existsSync(path.join(root, CONFIG_NAME)))
    setup.byHand.push(
      `${CONFIG_NAME} is here too: a sync writes the same items as committed posts. Keep one of the two: ` +
        `remove ${CONFIG_NAME} and the posts it wrote, or leave the loader out`,
    );
  return setup;
}

/** The loader's download folders (the Eleventy plugin's cache too), and the packages once the site installs any. */
function ignoredFolders(root: string, generator: LoaderGenerator): string[] {
  const { images, files } = LOADER_DEFAULTS[generator].keys;
  return [
    ...(generator === 'eleventy' ? ['.cache/'] : []),
    `${images.dir}/`,
    `${files.dir}/`,
    ...(existsSync(path.join(root, 'package.json')) ? ['node_modules'] : []),
  ];
}

/** Indented as printed under "By hand:", below the step it belongs to. */
const code = (text: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');

async function planAstro(root: string, endpoint: string, setup: LoaderSetup): Promise<void> {
  const config = ASTRO_CONTENT_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (config === undefined) {
    setup.files.push({
      file: 'src/content.config.ts',
      text: astroLoaderConfig(endpoint),
      what: `the ${ASTRO_COLLECTION} collection, loaded from the feed by dropmarkLoader`,
    });
  } else if ((await configText(root, config)).includes('dropmark-sync/astro')) {
    setup.kept.push(`${config} (yours; it already imports dropmark-sync/astro)`);
  } else {
    setup.edits.push(config);
    setup.byHand.push(
      `${config} is yours and stays as it is; add the ${ASTRO_COLLECTION} collection to it\n` +
        "(defineCollection comes from 'astro:content'):\n" +
        `${code(`${ASTRO_LOADER_IMPORT}\n\n${astroCollection(endpoint)}`)}\n` +
        `and ${ASTRO_COLLECTION} to its collections: export const collections = { ..., ${ASTRO_COLLECTION} };`,
    );
  }
  const pages = await readdir(path.join(root, ASTRO_PAGE_DIR)).catch(() => [] as string[]);
  const route = pages.sort().find((name) => name.startsWith('[') && name.endsWith('.astro'));
  if (route === undefined) setup.files.push({ file: ASTRO_LOADER_PAGE_FILE, text: ASTRO_LOADER_PAGE, what: PAGE });
  else setup.kept.push(`${ASTRO_PAGE_DIR}/${route} (yours; no page written)`);
}

async function planEleventy(
  root: string,
  endpoint: string,
  setup: LoaderSetup,
  pkg: SitePackage | undefined,
): Promise<void> {
  const config = ELEVENTY_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (config === undefined) {
    setup.files.push({
      file: 'eleventy.config.mjs',
      text: eleventyLoaderConfig(endpoint),
      what: 'adds the dropmark plugin: the posts as the global data dropmark',
    });
  } else if ((await configText(root, config)).includes('dropmark-sync/eleventy')) {
    setup.kept.push(`${config} (yours; it already imports dropmark-sync/eleventy)`);
  } else {
    setup.edits.push(config);
    setup.byHand.push(eleventySteps(config, endpoint, isEsModule(config, pkg)));
  }
  if (existsSync(path.join(root, ELEVENTY_LOADER_PAGE_FILE)))
    setup.kept.push(`${ELEVENTY_LOADER_PAGE_FILE} (yours; no page written)`);
  else setup.files.push({ file: ELEVENTY_LOADER_PAGE_FILE, text: ELEVENTY_LOADER_PAGE, what: PAGE });
}

/**
 * The plugin's lines for the site's own config. A CommonJS config cannot import the plugin (an ES
 * module) at its top, and Node 20 cannot require it: it imports it in its function, made async.
 */
function eleventySteps(config: string, endpoint: string, esModule: boolean): string {
  const call = eleventyPluginCall(endpoint);
  if (esModule)
    return (
      `${config} is yours and stays as it is; add to it:\n${code(ELEVENTY_PLUGIN_IMPORT)}\n` +
      `and in its function (export default async function (eleventyConfig) { ... }):\n${code(call)}`
    );
  return (
    `${config} is yours and stays as it is. It is CommonJS, which cannot import the plugin (an ES module)\n` +
    'at its top: in its function, made async (module.exports = async function (eleventyConfig) { ... }), add:\n' +
    code(`const { default: dropmark } = await import('dropmark-sync/eleventy');\n${call}`)
  );
}

/**
 * A file of the site, which may be a stranger's clone: never read through a symbolic link, never
 * waited on (a FIFO), regular files only (fs/no-follow.ts).
 */
async function siteText(root: string, file: string): Promise<string> {
  return (await readNoFollow(path.join(root, file))).text;
}

/** A config of the site's own, as text; one that is a link or no file reads as empty: it gets the lines to add. */
const configText = (root: string, file: string) => siteText(root, file).catch(() => '');

/** Whether Node reads the config as an ES module: .mjs, or .js in a package of "type": "module". */
function isEsModule(config: string, pkg: SitePackage | undefined): boolean {
  if (config.endsWith('.mjs') || config.endsWith('.cjs')) return config.endsWith('.mjs');
  return pkg?.type === 'module';
}
