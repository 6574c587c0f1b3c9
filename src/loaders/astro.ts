import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { z } from 'astro/zod';
import * as zm from 'zod/mini';
import {
  checkCollectionOptions,
  type CollectionOptions,
  type CollectionOptionsInput,
} from '../config/collection-options.js';
import { LOADER_DEFAULTS } from '../config/loader-defaults.js';
import type { MappedFeed, MappedPost } from '../library/map-feed.js';
import { jsonText } from '../text/json-text.js';
import { readBuildState, refreshCollection, type BuildState } from './build-cache.js';
import { entryKeys, type ValueKind } from './entry-shape.js';
import { lineLogger } from './log-lines.js';

/**
 * An Astro 5 content loader for one Dropmark collection: `defineCollection({ loader: dropmarkLoader({ endpoint }) })`.
 * Each item is an entry (its id the item's), whose data is the front matter its post file would hold under the
 * profile (astro unless told) and `slug`, whose body is the sanitized Markdown, rendered by the site's own Markdown
 * pipeline (never as MDX). Its image is mirrored into public/ (images.dir), so no page points at a URL that expires.
 */

export type DropmarkLoaderOptions = CollectionOptionsInput;

/** Where the images go unless told: Astro serves public/ as it is, at the site's root. */
const { keys: ASTRO_DEFAULTS, what: WHAT } = LOADER_DEFAULTS.astro;

/** The meta store's keys: the build's state (validators, feed hash, downloads), and the ids of the entries. */
const STATE_KEY = 'dropmark-sync:state';
const IDS_KEY = 'dropmark-sync:entries';

export function dropmarkLoader(options: DropmarkLoaderOptions): Loader {
  let checked: Promise<CollectionOptions> | undefined;
  // Checked when Astro first asks (a ConfigError then fails the build with every problem named).
  const check = () => (checked ??= checkCollectionOptions(options, WHAT, ASTRO_DEFAULTS));
  return {
    name: 'dropmark-sync',
    schema: async () => entrySchema(await check()),
    load: async (context) => loadEntries(context, await check()),
  };
}

/** The entries' schema: `astro:content` types `entry.data` with it, and each entry is checked against it. */
function entrySchema({ collection }: CollectionOptions) {
  const typeOf: Record<ValueKind, () => z.ZodTypeAny> = {
    date: () => z.coerce.date(),
    string: () => z.string(),
    number: () => z.number(),
    boolean: () => z.boolean(),
    strings: () => z.array(z.string()),
    list: () => z.array(z.union([z.string(), z.number()])),
    record: () => z.record(z.string()),
  };
  const keys = entryKeys(collection).map(({ key, kind, optional }) => {
    const type = typeOf[kind]();
    return [key, optional ? type.optional() : type] as const;
  });
  // fromEntries defines every key, `__proto__` too (frontMatter.add may name any).
  return z.object(Object.fromEntries([['slug', z.string()], ...keys]));
}

async function loadEntries(context: LoaderContext, options: CollectionOptions): Promise<void> {
  const apiKey = process.env['DROPMARK_API_KEY'];
  const logger = lineLogger(context.logger, apiKey ? [apiKey] : []);
  const root = fileURLToPath(context.config.root);
  const outcome = await refreshCollection({ ...options, root }, storedState(context), {
    env: process.env,
    logger,
    now: () => new Date(),
  });
  if (outcome.changed) {
    const counts = await storeEntries(context, outcome.mapped);
    for (const f of outcome.mapped.failures)
      logger.warn({ itemId: f.itemId }, `${f.reason}; its entry stays as it was`);
    for (const w of outcome.mapped.warnings) logger.warn({ itemId: w.itemId }, w.message);
    logger.info({}, `${counts.stored} entries stored, ${counts.same} unchanged, ${counts.deleted} removed`);
  }
  context.meta.set(STATE_KEY, JSON.stringify(outcome.state));
  context.meta.set(IDS_KEY, JSON.stringify(context.store.keys()));
}

const idsSchema = zm.pipe(jsonText, zm.array(zm.string()));

/** The last build's state, while the store still holds every entry it made (Astro clears both together). */
function storedState(context: LoaderContext): BuildState | undefined {
  const ids = idsSchema.safeParse(context.meta.get(IDS_KEY) ?? '');
  if (!ids.success || !ids.data.every((id) => context.store.has(id))) return undefined;
  return readBuildState(context.meta.get(STATE_KEY));
}

/**
 * Every post as an entry: one whose data and body are the same as its entry's (the digest says) is left as
 * it is, unrendered. Entries of items gone from the feed go; a failed item's stays, and nothing goes while
 * the feed is partial.
 */
async function storeEntries(context: LoaderContext, mapped: MappedFeed) {
  const counts = { stored: 0, same: 0, deleted: 0 };
  for (const post of mapped.posts) {
    if (await storeEntry(context, post)) counts.stored++;
    else counts.same++;
  }
  if (mapped.partial) return counts;
  const wanted = new Set([...mapped.posts.map((p) => p.id), ...mapped.failures.map((f) => f.itemId)]);
  for (const id of context.store.keys()) {
    if (wanted.has(id)) continue;
    context.store.delete(id);
    counts.deleted++;
  }
  return counts;
}

async function storeEntry(context: LoaderContext, post: MappedPost): Promise<boolean> {
  const data = { slug: post.slug, ...post.data };
  const digest = context.generateDigest({ data, body: post.body });
  if (context.store.get(post.id)?.digest === digest) return false;
  const parsed = await context.parseData({ id: post.id, data });
  const rendered = await context.renderMarkdown(post.body);
  return context.store.set({ id: post.id, data: parsed, body: post.body, rendered, digest });
}
