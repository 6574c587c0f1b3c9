import * as z from 'zod/mini';
import '../text/zod-english.js';
import type { Dispatcher } from 'undici';
import type { CollectionOptions } from '../config/collection-options.js';
import { SyncRefusedError } from '../errors.js';
import { fetchFeed, type FetchDeps, type Validators } from '../feed/client.js';
import { freshUrls } from '../feed/fresh-urls.js';
import type { ParsedFeed } from '../feed/parse.js';
import type { DispatcherSource } from '../http/client.js';
import { createGuardedDispatcher } from '../http/guarded-agent.js';
import { lazyDispatcher } from '../http/lazy-dispatcher.js';
import { ImageError } from '../images/image-error.js';
import { localCopies } from '../images/local-copies.js';
import { safeFileName, safeName, type ImageRecord } from '../images/manifest.js';
import { feedPosts, mapFeed, postNames, type MappedFeed } from '../library/map-feed.js';
import type { Logger } from '../log.js';
import { massRemoval } from '../plan/mass-delete.js';
import { listImageDir } from '../site/image-dir.js';
import { configKey, feedHash } from '../state/feed-cache.js';
import { jsonText } from '../text/json-text.js';
import { stripSecrets } from '../text/redact.js';
import { VERSION } from '../version.js';
import { claimFolder, mirrorInto, mirrorRequests, mirrorSpecs, type MirrorSpec } from './mirror.js';

/**
 * What the loaders share: the build's cache of a collection (its validators, the hash of the feed
 * it was built from, the posts' names and the files it downloaded) and one refresh of it. A build
 * whose feed did not change makes one conditional request and nothing else; one whose feed changed
 * maps every item again (the loader skips those whose post is the same) and mirrors what is new.
 */

const recordSchema = z.object({ source: z.string(), bytes: z.int().check(z.nonnegative()), sha256: z.string() });

const stateSchema = z.object({
  /** The collection's settings and the tool's version: another value means another job, and no cache. */
  key: z.string(),
  etag: z.optional(z.string()),
  lastModified: z.optional(z.string()),
  /** The feed's URL (without key or password): the names and the guard against a mass drop are this feed's. */
  feedUrl: z.string(),
  /** feedHash of the feed the entries were made from. */
  feedHash: z.string(),
  /** Item id -> its post's name: kept under `slugs: keep` when the item is retitled. */
  names: z.record(z.string(), z.string()),
  /** The files the loader wrote into the images and files folders. */
  images: z.record(z.string(), recordSchema),
  files: z.record(z.string(), recordSchema),
  /** The feed was whole and no download was missing: an unchanged feed then needs no work. */
  complete: z.boolean(),
});

export type BuildState = z.infer<typeof stateSchema>;

/** The state as the loader saved it (JSON text); anything else (none, broken, another shape) is none: a full build. */
export function readBuildState(text: string | undefined): BuildState | undefined {
  const parsed = jsonText.safeParse(text ?? '');
  return parsed.success ? buildStateOf(parsed.data) : undefined;
}

/** The state from a value read back (a cache file holding it among other things), or undefined. */
export function buildStateOf(value: unknown): BuildState | undefined {
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const state = parsed.data;
  // Only names the loader itself writes: a record naming anything else (`../x`) is not followed, and a post's name
  // (its downloads are named after it, its slug is in the entry) must be one a slug could give, or it is made anew.
  const names = Object.fromEntries(Object.entries(state.names).filter(([, name]) => safeName(`${name}.jpg`)));
  return { ...state, names, images: onlySafe(state.images, safeName), files: onlySafe(state.files, safeFileName) };
}

function onlySafe(records: Record<string, ImageRecord>, safe: (name: string) => boolean): Record<string, ImageRecord> {
  return Object.fromEntries(Object.entries(records).filter(([name]) => safe(name)));
}

interface BuildSetup extends CollectionOptions {
  /** The project's root folder, which the images and files folders are relative to. */
  root: string;
}

export interface BuildDeps {
  /** DROPMARK_API_KEY, the collection's read key, comes from here only. */
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  now: () => Date;
  /** For the feed's own origin (default: fetch's own). */
  dispatcher?: Dispatcher | undefined;
  /** For every URL the feed names (default: a guarded Agent). */
  guardedDispatcher?: DispatcherSource | undefined;
}

export type BuildOutcome =
  | { changed: false; state: BuildState }
  | { changed: true; state: BuildState; mapped: MappedFeed };

/**
 * One refresh. `previous`: the state of the last build, when the loader still has what it made
 * (its entries). It is trusted when it is this job's, complete, and every file it downloaded is
 * still there; then the request is conditional, and a 304 or the same feed is `changed: false`.
 */
export async function refreshCollection(
  setup: BuildSetup,
  previous: BuildState | undefined,
  deps: BuildDeps,
): Promise<BuildOutcome> {
  const specs = mirrorSpecs(setup.collection, setup.http);
  for (const spec of [specs.images, specs.files])
    if (spec) claimFolder(setup.root, spec, stripSecrets(setup.collection.endpoint));
  const guarded = deps.guardedDispatcher ? undefined : lazyGuarded(setup, deps.logger);
  try {
    const fetchDeps = feedDeps(setup, deps, deps.guardedDispatcher ?? (guarded as NonNullable<typeof guarded>).get);
    const key = configKey({ version: VERSION, collection: setup.collection, loader: true });
    const trusted = previous && previous.key === key && (await stillThere(setup, previous)) ? previous : undefined;
    const conditional = trusted ? { etag: trusted.etag, lastModified: trusted.lastModified } : undefined;
    const shown = stripSecrets(setup.collection.endpoint);
    const fetched = await fetchFeed(setup.collection.endpoint, setup.http, fetchDeps, conditional);
    if (fetched.notModified) {
      deps.logger.info({ endpoint: shown }, 'feed not modified (HTTP 304): nothing to do');
      return { changed: false, state: trusted as BuildState };
    }
    const { feed } = fetched;
    const hash = feedHash(feed, setup.collection.images.mode !== 'remote');
    const validators = definedValidators(fetched.validators);
    if (trusted && trusted.feedHash === hash) {
      deps.logger.info({ endpoint: shown }, 'feed unchanged (signatures aside): nothing to do');
      const { etag: _etag, lastModified: _lastModified, ...rest } = trusted;
      return { changed: false, state: { ...rest, ...validators } };
    }
    return await fullRefresh(setup, { feed, hash, validators, key, previous }, { ...deps, fetchDeps });
  } finally {
    await guarded?.close();
  }
}

/** The guarded Agent, made on first use and closed at the end: a build whose feed is not modified makes none. */
function lazyGuarded(setup: BuildSetup, logger: Logger) {
  return lazyDispatcher(
    async () => createGuardedDispatcher(setup.http.timeoutMs, setup.http.allowPrivateNetworks),
    logger,
  );
}

function feedDeps(setup: BuildSetup, deps: BuildDeps, guarded: DispatcherSource): FetchDeps {
  return {
    dispatcher: deps.dispatcher,
    guardedDispatcher: guarded,
    allowPrivateNetworks: setup.http.allowPrivateNetworks,
    logger: deps.logger,
    now: () => deps.now().getTime(),
    apiKey: deps.env['DROPMARK_API_KEY'] || undefined,
  };
}

function definedValidators(v: Validators): Pick<BuildState, 'etag' | 'lastModified'> {
  return { ...(v.etag ? { etag: v.etag } : {}), ...(v.lastModified ? { lastModified: v.lastModified } : {}) };
}

/** Whether every file the last build downloaded is still in its folder (a deleted folder means download again). */
async function stillThere(setup: BuildSetup, state: BuildState): Promise<boolean> {
  if (!state.complete) return false;
  const specs = mirrorSpecs(setup.collection, setup.http);
  for (const [spec, records] of [
    [specs.images, state.images],
    [specs.files, state.files],
  ] as const) {
    if (spec === undefined) continue;
    const { names } = await listImageDir(setup.root, spec.relDir, spec.safeName);
    if (Object.keys(records).some((name) => !names.has(name))) return false;
  }
  return true;
}

interface ChangedFeed {
  feed: ParsedFeed;
  hash: string;
  validators: Pick<BuildState, 'etag' | 'lastModified'>;
  key: string;
  previous: BuildState | undefined;
}

/** The feed changed (or nothing may be trusted): names, downloads, then every post mapped. */
async function fullRefresh(
  setup: BuildSetup,
  changed: ChangedFeed,
  deps: BuildDeps & { fetchDeps: FetchDeps },
): Promise<BuildOutcome> {
  const { collection } = setup;
  const { feed, previous } = changed;
  const shown = stripSecrets(collection.endpoint);
  for (const warning of feed.warnings) deps.logger.warn({ endpoint: shown }, warning);
  const now = deps.now();
  const posts = feedPosts(feed, collection);
  const before = new Map(Object.entries(previous?.feedUrl === shown ? previous.names : {}));
  const names = postNames(posts.items, collection, { now, names: before });
  if (posts.partial === undefined) refuseMassDrop(before, names, deps.env);
  const specs = mirrorSpecs(collection, setup.http);
  const mirror = async (spec: MirrorSpec | undefined, records: Record<string, ImageRecord> | undefined) => {
    if (spec === undefined) return undefined;
    const run = { root: setup.root, requests: mirrorRequests(posts, names, before, spec), before: records ?? {} };
    return mirrorInto(spec, { ...run, removeOrphans: posts.partial === undefined }, mirrorDeps(setup, spec, deps));
  };
  const images = await mirror(specs.images, previous?.images);
  const files = await mirror(specs.files, previous?.files);
  const misses = [...(images?.misses ?? []), ...(files?.misses ?? [])];
  reportMisses(setup, misses, deps.logger);
  const mapped = mapFeed(feed, collection, {
    feedUrl: shown,
    now,
    names,
    ...(images ? { images: images.paths } : {}),
    files: localCopies(feed.items, images && { featuredImage: images.paths }, files && { featuredImage: files.paths }),
  });
  if (mapped.partial)
    deps.logger.warn(
      { endpoint: shown, ...mapped.partial },
      `the feed lists ${mapped.partial.listed} of the collection's ${mapped.partial.total} items; ` +
        'the entries of the items it does not list stay until it is whole',
    );
  const state: BuildState = {
    key: changed.key,
    feedUrl: shown,
    ...changed.validators,
    feedHash: changed.hash,
    names: Object.fromEntries(names),
    images: images?.files ?? {},
    files: files?.files ?? {},
    complete: misses.length === 0 && mapped.partial === undefined,
  };
  return { changed: true, state, mapped };
}

/** The environment variable that lets one build drop most entries, as `sync --allow-mass-delete` lets one sync. */
const ALLOW_MASS_DROP = 'DROPMARK_SYNC_ALLOW_MASS_DELETE';

/**
 * The committed-files path's guard, for entries: a feed that lists no items, or drops more than half of the
 * entries the last build made, fails the build (the site that is deployed stays) unless ALLOW_MASS_DROP is 1.
 */
function refuseMassDrop(
  before: ReadonlyMap<string, string>,
  now: ReadonlyMap<string, string>,
  env: BuildDeps['env'],
): void {
  if (env[ALLOW_MASS_DROP] === '1') return;
  const dropped = [...before.keys()].filter((id) => !now.has(id)).length;
  const kind = massRemoval(dropped, before.size, now.size);
  const why =
    kind === 'empty'
      ? `the feed lists no items, which would drop all ${dropped} entries of the last build`
      : kind === 'most'
        ? `the feed drops ${dropped} of the ${before.size} entries of the last build (more than half)`
        : undefined;
  if (why === undefined) return;
  throw new SyncRefusedError(
    `refused: ${why}. If that is meant, build once with ${ALLOW_MASS_DROP}=1 in the environment`,
  );
}

function mirrorDeps(setup: BuildSetup, spec: MirrorSpec, deps: BuildDeps & { fetchDeps: FetchDeps }) {
  return {
    dispatcher: deps.fetchDeps.guardedDispatcher,
    logger: deps.logger,
    now: deps.fetchDeps.now,
    concurrency: setup.http.concurrency,
    refetchUrls: () => {
      const { endpoint } = setup.collection;
      const feed = { endpoint, feedUrl: stripSecrets(endpoint), http: setup.http, fetchDeps: deps.fetchDeps };
      return freshUrls(feed, spec, deps.logger);
    },
  };
}

/** images.onError: fail stops the build naming every missing download; degrade builds without them. */
function reportMisses(setup: BuildSetup, misses: readonly { itemId: string; reason: string }[], logger: Logger): void {
  if (misses.length === 0) return;
  if (setup.collection.images.onError === 'fail') {
    const lines = misses.map((m) => `item ${m.itemId}: ${m.reason}`).join('\n');
    throw new ImageError(
      `${misses.length} download(s) could not be had (images.onError is fail):\n${lines}\n` +
        'Build again once they can be had, or set images.onError: degrade to build without them',
    );
  }
  for (const miss of misses) logger.warn({ itemId: miss.itemId }, `${miss.reason}; the post is built without it`);
}
