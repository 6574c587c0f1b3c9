import { DropmarkSyncError, describeSystemError } from '../errors.js';
import { fetchFeed, type Validators } from '../feed/client.js';
import { parseFeed, type ParsedFeed } from '../feed/parse.js';
import { collectionFingerprint } from '../site/fingerprint.js';
import { feedHash, loadFeedState, saveFeedState, type FeedState } from '../state/feed-cache.js';
import type { CollectionContext, SyncOptions } from './types.js';

/** The cache of the last complete pass, when it may be trusted to skip work. */
export interface CachedState {
  trusted: FeedState | undefined;
}

export type FetchedCollection =
  | { kind: 'not-modified'; trusted: FeedState }
  | { kind: 'unchanged'; trusted: FeedState; validators: Validators }
  | { kind: 'changed'; body: Buffer; hash: string; validators: Validators };

/** Where a full pass would change nothing, the cache says so: only for the same job on a site nobody touched since. */
export async function readCachedState(ctx: CollectionContext): Promise<CachedState> {
  const { options, config, collection } = ctx;
  const state = options.full || options.dryRun ? undefined : await loadFeedState(ctx.cacheFile);
  if (!state) return { trusted: undefined };
  const fingerprint = await (ctx.deps.earlyFingerprint?.(collection) ??
    collectionFingerprint(config.siteDir, collection, ctx.log));
  const trusted =
    state.key === ctx.key && state.siteFingerprint === fingerprint && !imagesDue(state, ctx.deps.now(), options);
  return { trusted: trusted ? state : undefined };
}

/** A degraded pass's cache stands until its first missing image may be tried again (or --retry-images). */
export function imagesDue(state: FeedState, now: Date, options: SyncOptions): boolean {
  if (state.retryImagesAt === undefined) return false;
  return options.retryImages === true || Date.parse(state.retryImagesAt) <= now.getTime();
}

/** A conditional GET when the cache is trusted; then whether the feed changed at all (signatures aside). */
export async function fetchCollectionFeed(ctx: CollectionContext, cached: CachedState): Promise<FetchedCollection> {
  const { trusted } = cached;
  const conditional = trusted ? { etag: trusted.etag, lastModified: trusted.lastModified } : undefined;
  const fetched = await fetchFeed(ctx.collection.endpoint, ctx.config.http, ctx.fetchDeps, conditional);
  if (fetched.notModified) {
    if (!trusted) throw new DropmarkSyncError(`${ctx.feedUrl}: HTTP 304 to a request that was not conditional`);
    return { kind: 'not-modified', trusted };
  }
  // Re-signed thumbnail URLs only matter when they are written into the files.
  const hash = feedHash(fetched.body, ctx.collection.images.mode !== 'remote');
  if (trusted && trusted.feedHash === hash) return { kind: 'unchanged', trusted, validators: fetched.validators };
  return { kind: 'changed', body: fetched.body, hash, validators: fetched.validators };
}

export function parseCollectionFeed(ctx: CollectionContext, body: Buffer): ParsedFeed {
  const feed = parseFeed(body, ctx.feedUrl);
  for (const warning of feed.warnings) ctx.log.warn({ endpoint: ctx.feedUrl }, warning);
  ctx.log.info({ endpoint: ctx.feedUrl, items: feed.items.length }, 'feed fetched');
  return feed;
}

export function definedValidators(v: Validators): Pick<FeedState, 'etag' | 'lastModified'> {
  return { ...(v.etag ? { etag: v.etag } : {}), ...(v.lastModified ? { lastModified: v.lastModified } : {}) };
}

/** Saves the feed state; a cache that cannot be written costs the next poll a full pass, nothing more. */
export async function remember(ctx: CollectionContext, state: FeedState): Promise<void> {
  try {
    await saveFeedState(ctx.cacheFile, state);
  } catch (error) {
    const reason = describeSystemError(error) ?? (error as Error).message;
    ctx.log.warn({ file: ctx.cacheFile, reason }, 'could not save the feed cache; the next sync does a full pass');
  }
}
