import { describeError } from '../errors.js';
import { fetchFeed, streamFeed, type Validators } from '../feed/client.js';
import type { ParsedFeed } from '../feed/parse.js';
import type { Logger } from '../log.js';
import { FeedHasher, feedHash, loadFeedState, saveFeedState, type FeedState } from '../state/feed-cache.js';
import type { FeedCache, FeedSource, SyncOptions } from './types.js';

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
  /** `feed`: taken by the pass, which lets it go once it has planned (what follows needs none of it). */
  | { kind: 'changed'; feed: FeedHandover; hash: string; validators: Validators };

/**
 * The parsed feed, handed on once (`take`): the pass takes it and lets it go once it has planned. A caller's frame
 * holds this, not the feed (a 100k-item feed's parse is ~270 MB), so the feed is garbage as soon as the pass is
 * through with it. Here, not in a module of its own: this module loads on every poll, whose start-up counts.
 */
export class FeedHandover {
  #feed: ParsedFeed | undefined;

  constructor(feed: ParsedFeed) {
    this.#feed = feed;
  }

  take(): ParsedFeed {
    const feed = this.#feed;
    if (feed === undefined) throw new Error('the parsed feed was taken twice (a bug of the tool)');
    this.#feed = undefined;
    return feed;
  }
}

const NO_CACHE: CachedState = { candidate: undefined, picture: undefined };

/**
 * `takePicture`: the site's fingerprint (site/fingerprint.ts), started only for a cache that may be trusted;
 * `offThread` when this thread has the whole feed to read meanwhile.
 */
export async function readCachedState(
  cache: FeedCache,
  run: {
    options: Pick<SyncOptions, 'full' | 'dryRun' | 'retryImages'>;
    now: Date;
    takePicture: (offThread: boolean) => Promise<string>;
  },
): Promise<CachedState> {
  const { options } = run;
  const state = options.full || options.dryRun ? undefined : await loadFeedState(cache.file);
  if (!state || state.key !== cache.key || imagesDue(state, run.now, options)) return NO_CACHE;
  // Started now, taken while the request is out (fetchCollectionFeed awaits the two together). With no validators to
  // send, the whole feed comes and this thread reads it meanwhile: a large site's stats go to a worker thread. A 304
  // leaves this thread idle, and a worker's start would only add to the wait (bench/RESULTS.md).
  const whole = state.etag === undefined && state.lastModified === undefined;
  return { candidate: state, picture: run.takePicture(whole) };
}

/**
 * A degraded pass's cache stands until its first missing image may be tried again, or `--retry-images` asks for every
 * missing image now (one the config refused too, which has no time to be tried again: a name may resolve elsewhere).
 */
export function imagesDue(state: FeedState, now: Date, options: Pick<SyncOptions, 'retryImages'>): boolean {
  if (options.retryImages === true && (state.imagesMissing?.length ?? 0) > 0) return true;
  return state.retryImagesAt !== undefined && Date.parse(state.retryImagesAt) <= now.getTime();
}

/**
 * A conditional GET when there is a cache; then whether the feed changed at all (signatures
 * aside). The cache is trusted only when the site's picture agrees with it: a 304 for a site
 * touched since costs a second request, for the whole feed. With a cache, the feed is hashed as
 * it comes and nothing of it is kept, neither its items nor its bytes: most polls find it
 * unchanged. A feed that changed (or came for a site touched since) is asked for again, whole
 * (wholeFeed): a second request, made only by a poll that has something to write. In image mode
 * remote the signatures are part of the hash and change on every answer, so such a poll's feed
 * is parsed and kept as it comes, in one request.
 */
export async function fetchCollectionFeed(source: FeedSource, cached: CachedState): Promise<FetchedCollection> {
  const { candidate } = cached;
  if (candidate === undefined) return wholeFeed(source);
  const conditional = { etag: candidate.etag, lastModified: candidate.lastModified };
  const request = source.stripSignatures ? hashedAsItComes(source, conditional) : parsed(source, conditional);
  const [fetched, picture] = await settledBoth(request, cached.picture, source.log);
  const trusted = picture === candidate.siteFingerprint ? candidate : undefined;
  if (fetched.notModified && trusted) return { kind: 'not-modified', trusted };
  if (!fetched.notModified && trusted && trusted.feedHash === fetched.hash)
    return { kind: 'unchanged', trusted, validators: fetched.validators };
  if (!fetched.notModified && fetched.feed !== undefined) {
    const { feed, hash, validators } = fetched;
    return { kind: 'changed', feed: new FeedHandover(feed), hash, validators };
  }
  const what = trusted ? 'the feed' : 'the site';
  source.log.info({ endpoint: source.feedUrl }, `${what} changed since the last sync; asking for the whole feed`);
  return wholeFeed(source);
}

type HashedFetch =
  | { notModified: true; validators: Validators }
  | { notModified: false; hash: string; validators: Validators; feed?: ParsedFeed };

async function hashedAsItComes(source: FeedSource, conditional: Validators): Promise<HashedFetch> {
  const hasher = new FeedHasher(source.stripSignatures);
  const fetched = await streamFeed(source.endpoint, source.http, source.fetchDeps, conditional, hasher);
  if (fetched.notModified) return fetched;
  return { ...fetched, hash: hasher.digest(fetched.totalCount) };
}

/** The conditional GET of a poll whose hash changes on every answer (image mode remote): the feed parsed and kept. */
async function parsed(source: FeedSource, conditional: Validators): Promise<HashedFetch> {
  const fetched = await fetchFeed(source.endpoint, source.http, source.fetchDeps, conditional);
  if (fetched.notModified) return fetched;
  return { ...fetched, hash: feedHash(fetched.feed, source.stripSignatures) };
}

/**
 * The whole feed, with no conditional headers (no cache to compare with, or a poll that kept nothing of a feed that
 * changed): parsed as it comes, then hashed (what the tool reads, not the body's bytes).
 */
async function wholeFeed(source: FeedSource): Promise<FetchedCollection> {
  const { feed, validators } = await fetchFeed(source.endpoint, source.http, source.fetchDeps);
  return { kind: 'changed', feed: new FeedHandover(feed), hash: feedHash(feed, source.stripSignatures), validators };
}

/** Both to the end (a failed picture leaves no request running unowned); the feed's failure first. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B> | undefined, log: Logger): Promise<[A, B?]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') {
    if (second.status === 'rejected') log.debug({ err: second.reason }, "the site's picture failed too");
    throw first.reason;
  }
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

/** The parse's warnings, logged by the pass that uses the feed (an unchanged feed repeats none each poll). */
export function announceFeed(source: Pick<FeedSource, 'feedUrl' | 'log'>, feed: ParsedFeed): void {
  for (const warning of feed.warnings) source.log.warn({ endpoint: source.feedUrl }, warning);
  source.log.info({ endpoint: source.feedUrl, items: feed.items.length }, 'feed fetched');
}

export function definedValidators(v: Validators): Pick<FeedState, 'etag' | 'lastModified'> {
  return { ...(v.etag ? { etag: v.etag } : {}), ...(v.lastModified ? { lastModified: v.lastModified } : {}) };
}

/** Saves the feed state; a cache that cannot be written costs the next poll a full pass, nothing more. */
export async function remember(cache: Pick<FeedCache, 'file' | 'log'>, state: FeedState): Promise<void> {
  try {
    await saveFeedState(cache.file, state);
  } catch (error) {
    cache.log.warn(
      { file: cache.file, reason: describeError(error) },
      'could not save the feed cache; the next sync does a full pass',
    );
  }
}
