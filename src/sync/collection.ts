import type { CollectionConfig, Config } from '../config/schema.js';
import type { DispatcherSource } from '../http/client.js';
import { collectionFingerprint } from '../site/fingerprint.js';
import { summarizeCached, summarizeFailure, type CollectionSummary } from '../summary.js';
import {
  definedValidators,
  fetchCollectionFeed,
  readCachedState,
  remember,
  type FetchedCollection,
} from './feed-stage.js';
import { collectionRun, type CollectionRun, type RunControl, type SyncDeps, type SyncOptions } from './types.js';

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
  const run = collectionRun(config, collection, deps, options, control);
  try {
    const takePicture = (offThread: boolean) =>
      collectionFingerprint(run.siteDir, collection, { env: deps.env, logger: run.log, offThread });
    const cached = await readCachedState(run.cache, { options, now: deps.now(), takePicture });
    const fetched = await fetchCollectionFeed(run.source, cached);
    if (fetched.kind !== 'changed') return await cachedPass(run, fetched);
    // Loaded only now: most polls from cron find the feed unchanged and never load the code that
    // reads front matter, renders, plans and writes (bench/RESULTS.md, the 304 row).
    const { fullPass } = await import('./full-pass.js');
    return await fullPass(run, fetched);
  } catch (error) {
    const secrets = run.apiKey ? [run.apiKey] : [];
    return summarizeFailure({ endpoint: run.source.feedUrl, stop: control.stopKind(), secrets, log: run.log }, error);
  }
}

async function cachedPass(
  run: CollectionRun,
  fetched: Exclude<FetchedCollection, { kind: 'changed' }>,
): Promise<CollectionSummary> {
  const { feedUrl } = run.source;
  const told = { endpoint: feedUrl, onError: run.collection.images.onError };
  if (fetched.kind === 'not-modified') {
    run.log.info({ endpoint: feedUrl }, 'feed not modified (HTTP 304): nothing to do');
    return summarizeCached(told, 'not-modified', fetched.trusted);
  }
  run.log.info({ endpoint: feedUrl }, 'feed unchanged since the last sync (signatures aside): nothing to do');
  // The new validators let the next poll be a 304.
  if (!run.options.dryRun) await remember(run.cache, { ...fetched.trusted, ...definedValidators(fetched.validators) });
  return summarizeCached(told, 'unchanged-feed', fetched.trusted);
}
