import { createHash } from 'node:crypto';
import path from 'node:path';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import {
  checkCollectionOptions,
  type CollectionOptions,
  type CollectionOptionsInput,
} from '../config/collection-options.js';
import { LOADER_DEFAULTS } from '../config/loader-defaults.js';
import { ConfigError, describeError } from '../errors.js';
import type { MappedFeed } from '../library/map-feed.js';
import type { Logger } from '../log.js';
import { readJsonFile, writeJsonFile } from '../state/json-file.js';
import { stripSecrets } from '../text/redact.js';
import { buildStateOf, refreshCollection, type BuildState } from './build-cache.js';
import { bodyHtml } from './html.js';
import { lineLogger } from './log-lines.js';
import { mirrorSpecs } from './mirror.js';

/**
 * An Eleventy 3 plugin for one Dropmark collection: `eleventyConfig.addPlugin(dropmark, { endpoint })`
 * adds the collection's posts as global data (`dropmark` unless told), and as a collection when
 * asked, each post as its file would be under the profile (eleventy unless told): its id, slug, front
 * matter values (`data`), Markdown body and that body as HTML. Images are mirrored into a folder the
 * plugin copies to the built site. The cache (.cache/dropmark-sync/) makes a build with nothing
 * changed one conditional request.
 */

export interface DropmarkPluginOptions extends CollectionOptionsInput {
  /** The global data's name (default `dropmark`): templates read the posts as `dropmark`. */
  dataKey?: string;
  /** When set, the posts are also the collection of this name (`collections.<name>`). */
  collectionName?: string;
}

/** A post as templates get it. */
export interface EleventyPost {
  /** The Dropmark item id. */
  id: string;
  /** The slug its file would have: unique in the collection, for a permalink. */
  slug: string;
  /** Its front matter values under the profile and the mapping; dates are Date objects. */
  data: Record<string, unknown>;
  /** The sanitized Markdown body. */
  body: string;
  /** The body as HTML: output it as it is (`{{ post.html }}` in Liquid, `{{ post.html | safe }}` in Nunjucks). */
  html: string;
}

/** The parts of Eleventy's configuration API the plugin uses. */
export interface EleventyConfigApi {
  addGlobalData(name: string, data: () => Promise<unknown>): unknown;
  addCollection(name: string, callback: () => Promise<unknown>): unknown;
  addPassthroughCopy(mapping: Record<string, string>): unknown;
  on(event: 'eleventy.before', callback: () => Promise<void>): unknown;
}

/** Where the downloads go unless told: a folder the plugin copies to the same path of the built site. */
const { keys: ELEVENTY_DEFAULTS, what: WHAT } = LOADER_DEFAULTS.eleventy;

export async function dropmarkPlugin(eleventyConfig: EleventyConfigApi, options: DropmarkPluginOptions): Promise<void> {
  const { dataKey = 'dropmark', collectionName, ...keys } = options;
  checkName('dataKey', dataKey);
  if (collectionName !== undefined) checkName('collectionName', collectionName);
  const checked = await checkCollectionOptions(keys, WHAT, ELEVENTY_DEFAULTS);
  for (const spec of Object.values(mirrorSpecs(checked.collection, checked.http)))
    eleventyConfig.addPassthroughCopy({ [spec.relDir]: spec.urlPrefix.replace(/^\/+|\/+$/g, '') });
  const root = process.cwd();
  let current: Promise<EleventyPost[]> | undefined;
  const refresh = () => {
    current = loadPosts(checked, { root, cacheFile: cacheFileOf(root, checked, dataKey) });
    return current;
  };
  // Each build (and each rebuild of --serve) refreshes once, before anything is written.
  eleventyConfig.on('eleventy.before', async () => {
    await refresh();
  });
  eleventyConfig.addGlobalData(dataKey, () => current ?? refresh());
  if (collectionName !== undefined) eleventyConfig.addCollection(collectionName, () => current ?? refresh());
}

export default dropmarkPlugin;

function checkName(key: string, value: unknown): void {
  if (typeof value !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(value))
    throw new ConfigError(`${WHAT} is not valid:\n${key}: must be a name such as dropmark (letters, digits, _)`, {
      keyPath: key,
    });
}

/** One cache file per project, feed and data name: two plugins of one site do not share one. */
function cacheFileOf(root: string, checked: CollectionOptions, dataKey: string): string {
  const id = createHash('sha256')
    .update(`${stripSecrets(checked.collection.endpoint)}\0${dataKey}`)
    .digest('hex');
  return path.join(root, '.cache', 'dropmark-sync', `eleventy-${id.slice(0, 16)}.json`);
}

async function loadPosts(
  checked: CollectionOptions,
  where: { root: string; cacheFile: string },
): Promise<EleventyPost[]> {
  const apiKey = process.env['DROPMARK_API_KEY'];
  const logger = lineLogger(consolePrinter, apiKey ? [apiKey] : []);
  const cached = await readCache(where.cacheFile, logger);
  const outcome = await refreshCollection({ ...checked, root: where.root }, cached?.state, {
    env: process.env,
    logger,
    now: () => new Date(),
  });
  if (!outcome.changed) return (cached as Cache).posts;
  const posts = postsOf(outcome.mapped, cached?.posts ?? [], logger);
  await writeCache(where.cacheFile, { state: outcome.state, dateKeys: outcome.mapped.dateKeys, posts }, logger);
  return posts;
}

/** Eleventy prints its own lines to the console: these go beside them. */
const consolePrinter = {
  debug: () => {},
  info: (line: string) => console.log(`[dropmark-sync] ${line}`),
  warn: (line: string) => console.warn(`[dropmark-sync] ${line}`),
  error: (line: string) => console.error(`[dropmark-sync] ${line}`),
};

/** The posts of the feed; a failed item keeps its post of last time, and so does each item a partial feed omits. */
function postsOf(mapped: MappedFeed, before: readonly EleventyPost[], logger: Logger): EleventyPost[] {
  for (const f of mapped.failures) logger.warn({ itemId: f.itemId }, `${f.reason}; its post stays as it was`);
  for (const w of mapped.warnings) logger.warn({ itemId: w.itemId }, w.message);
  const posts = mapped.posts.map(
    ({ id, slug, data, body }): EleventyPost => ({ id, slug, data, body, html: bodyHtml(body) }),
  );
  const mine = new Set(posts.map((p) => p.id));
  const failed = new Set(mapped.failures.map((f) => f.itemId));
  const kept = before.filter((p) => !mine.has(p.id) && (mapped.partial !== undefined || failed.has(p.id)));
  return [...posts, ...kept];
}

interface Cache {
  state: BuildState;
  dateKeys: string[];
  posts: EleventyPost[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const cacheSchema = z.object({
  state: z.unknown(),
  dateKeys: z.array(z.string()),
  posts: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      // Taken as it is (not copied key by key): a key `__proto__` stays a key.
      data: z.custom<Record<string, unknown>>(isRecord),
      body: z.string(),
      html: z.string(),
    }),
  ),
});

/** The last build's posts and state; a missing or damaged cache is none, and costs one full build. */
async function readCache(file: string, logger: Logger): Promise<Cache | undefined> {
  const read = await readJsonFile(file, cacheSchema);
  if (read.kind === 'missing' || read.kind === 'unreadable') {
    const reason = read.kind === 'missing' ? 'no such file' : describeError(read.error);
    logger.debug({ file, reason }, 'no cache: a full build');
    return undefined;
  }
  if (read.kind === 'not-json') {
    logger.warn({ file }, 'the cache is not JSON; it is made again');
    return undefined;
  }
  const state = read.kind === 'read' ? buildStateOf(read.data.state) : undefined;
  if (read.kind !== 'read' || state === undefined) {
    logger.warn({ file }, 'the cache is not one of this version; it is made again');
    return undefined;
  }
  const { dateKeys, posts } = read.data;
  // The HTML a template prints as it is is made again from the body, never taken from the file: a cache someone
  // else wrote (a cloned site's .cache/) must not put markup into the pages.
  const rebuilt = posts.map((post) => withDates({ ...post, html: bodyHtml(post.body) }, dateKeys));
  return { state, dateKeys, posts: rebuilt };
}

/** JSON keeps a date as its text: back to a Date, as the posts were made. */
function withDates(post: EleventyPost, dateKeys: readonly string[]): EleventyPost {
  const data = { ...post.data };
  for (const key of dateKeys) {
    const value = data[key];
    if (typeof value === 'string') data[key] = new Date(value);
  }
  return { ...post, data };
}

/** A cache that cannot be written costs the next build a full refresh, nothing more. */
async function writeCache(file: string, cache: Cache, logger: Logger): Promise<void> {
  try {
    await writeJsonFile(file, cache);
  } catch (error) {
    const reason = describeError(error);
    logger.warn({ file, reason }, 'could not save the cache; the next build fetches the whole feed');
  }
}
