import { describeError } from '../errors.js';
import { fetchFeed, type Validators } from '../feed/client.js';
import { parseFeed, type ParsedFeed } from '../feed/parse.js';
import { collectionFingerprint } from '../site/fingerprint.js';
import { feedHash, loadFeedState, saveFeedState, type FeedState } from '../state/feed-cache.js';
import type { CollectionContext, SyncOptions } from './types.js';

/**
 * The cache of the last complete pass, when it may be trusted to skip work: it is this job's and
 * no missing image is due. Whether the site is still the one it was saved with is told by the
 * site's picture, which is taken while the feed is asked for (the two take turns otherwise).
 */
export interface CachedState {
  candidate: FeedState | undefined;
  /** The site's fingerprint now; present with a candidate. */
  picture: Promise<string> | undefined;
}

export type FetchedCollection =
  | { kind: 'not-modified'; trusted: FeedState }
  | { kind: 'unchanged'; trusted: FeedState; validators: Validators }
  | { kind: 'changed'; feed: ParsedFeed; hash: string; validators: Validators };

const NO_CACHE: CachedState = { candidate: undefined, picture: undefined };

export async function readCachedState(ctx: CollectionContext): Promise<CachedState> {
  const { options, config, collection } = ctx;
  const state = options.full || options.dryRun ? undefined : await loadFeedState(ctx.cacheFile);
  if (!state || state.key !== ctx.key || imagesDue(state, ctx.deps.now(), options)) return NO_CACHE;
  // Started now, taken while the request is out (fetchCollectionFeed awaits the two together).
  const picture = collectionFingerprint(config.siteDir, collection, { env: ctx.deps.env, logger: ctx.log });
  return { candidate: state, picture };
}

/** A degraded pass's cache stands until its first missing image may be tried again (or --retry-images). */
export function imagesDue(state: FeedState, now: Date, options: SyncOptions): boolean {
  if (state.retryImagesAt === undefined) return false;
  return options.retryImages === true || Date.parse(state.retryImagesAt) <= now.getTime();
}

/**
 * A conditional GET when there is a cache; then whether the feed changed at all (signatures
 * aside). The cache is trusted only when the site's picture agrees with it: a 304 for a site
 * touched since costs a second request, for the whole feed.
 */
export async function fetchCollectionFeed(ctx: CollectionContext, cached: CachedState): Promise<FetchedCollection> {
  const { candidate } = cached;
  const conditional = candidate ? { etag: candidate.etag, lastModified: candidate.lastModified } : undefined;
  const [fetched, picture] = await settledBoth(
    fetchFeed(ctx.collection.endpoint, ctx.config.http, ctx.fetchDeps, conditional),
    cached.picture,
    ctx,
  );
  const trusted = candidate !== undefined && picture === candidate.siteFingerprint ? candidate : undefined;
  // Only a conditional request (there is a candidate) can be answered notModified: fetchFeed fails any other 304.
  if (fetched.notModified) {
    if (trusted) return { kind: 'not-modified', trusted };
    ctx.log.info({ endpoint: ctx.feedUrl }, 'the site changed since the last sync; asking for the whole feed');
    return fetchCollectionFeed(ctx, NO_CACHE);
  }
  // The parsed feed is hashed (what the tool reads, not the body's bytes) and handed on: one parse a poll.
  const feed = parseFeed(fetched.body, ctx.feedUrl);
  // Re-signed thumbnail URLs only matter when they are written into the files.
  const hash = feedHash(feed, ctx.collection.images.mode !== 'remote');
  if (trusted && trusted.feedHash === hash) return { kind: 'unchanged', trusted, validators: fetched.validators };
  return { kind: 'changed', feed, hash, validators: fetched.validators };
}

/** Both to the end (a failed picture leaves no request running unowned); the feed's failure first. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B> | undefined, ctx: CollectionContext): Promise<[A, B?]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') {
    if (second.status === 'rejected') ctx.log.debug({ err: second.reason }, "the site's picture failed too");
    throw first.reason;
  }
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

/** The parse's warnings, logged by the pass that uses the feed (an unchanged feed repeats none each poll). */
export function announceFeed(ctx: CollectionContext, feed: ParsedFeed): void {
  for (const warning of feed.warnings) ctx.log.warn({ endpoint: ctx.feedUrl }, warning);
  ctx.log.info({ endpoint: ctx.feedUrl, items: feed.items.length }, 'feed fetched');
}

export function definedValidators(v: Validators): Pick<FeedState, 'etag' | 'lastModified'> {
  return { ...(v.etag ? { etag: v.etag } : {}), ...(v.lastModified ? { lastModified: v.lastModified } : {}) };
}

/** Saves the feed state; a cache that cannot be written costs the next poll a full pass, nothing more. */
export async function remember(ctx: CollectionContext, state: FeedState): Promise<void> {
  try {
    await saveFeedState(ctx.cacheFile, state);
  } catch (error) {
    ctx.log.warn(
      { file: ctx.cacheFile, reason: describeError(error) },
      'could not save the feed cache; the next sync does a full pass',
    );
  }
}
