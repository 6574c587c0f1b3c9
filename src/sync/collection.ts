import type { DispatcherSource } from '../http/client.js';
import type { CollectionConfig, Config } from '../config/schema.js';
import type { CollectionSummary } from '../summary.js';
import {
  definedValidators,
  fetchCollectionFeed,
  readCachedState,
  remember,
  type FetchedCollection,
} from './feed-stage.js';
import { summarizeCached, summarizeFailure } from './summarize.js';
import {
  collectionContext,
  type CollectionContext,
  type RunControl,
  type SyncDeps,
  type SyncOptions,
} from './types.js';

/**
 * One collection's pass: cached state -> fetch -> either the last pass's counts (the feed
 * did not change and nobody touched the site) or the full pass. Never throws for the
 * collection's own failure: it is in the summary.
 */
export async function syncCollection(
  config: Config,
  collection: CollectionConfig,
  deps: SyncDeps & { guardedDispatcher: DispatcherSource },
  options: SyncOptions,
  control: RunControl,
): Promise<CollectionSummary> {
  const ctx = collectionContext(config, collection, deps, options, control);
  try {
    const cached = await readCachedState(ctx);
    const fetched = await fetchCollectionFeed(ctx, cached);
    if (fetched.kind !== 'changed') return await cachedPass(ctx, fetched);
    // Loaded only now: most polls from cron find the feed unchanged and never load the code that
    // reads front matter, renders, plans and writes (bench/RESULTS.md, the 304 row).
    const { fullPass } = await import('./full-pass.js');
    return await fullPass(ctx, fetched);
  } catch (error) {
    return summarizeFailure(ctx, error);
  }
}

async function cachedPass(
  ctx: CollectionContext,
  fetched: Exclude<FetchedCollection, { kind: 'changed' }>,
): Promise<CollectionSummary> {
  if (fetched.kind === 'not-modified') {
    ctx.log.info({ endpoint: ctx.feedUrl }, 'feed not modified (HTTP 304): nothing to do');
    return summarizeCached(ctx, 'not-modified', fetched.trusted);
  }
  ctx.log.info({ endpoint: ctx.feedUrl }, 'feed unchanged since the last sync (signatures aside): nothing to do');
  // The new validators let the next poll be a 304.
  if (!ctx.options.dryRun) await remember(ctx, { ...fetched.trusted, ...definedValidators(fetched.validators) });
  return summarizeCached(ctx, 'unchanged-feed', fetched.trusted);
}
