import path from 'node:path';
import type { Dispatcher } from 'undici';
import type { WriteFs } from '../fs/atomic-write.js';
import type { CollectionConfig, Config, HttpConfig } from '../config/schema.js';
import type { FetchDeps } from '../feed/client.js';
import type { DispatcherSource } from '../http/client.js';
import type { Logger } from '../log.js';
import { stripSecrets } from '../text/redact.js';
import { configKey, stateFile } from '../state/feed-cache.js';
import { VERSION } from '../version.js';

/** Side effects, injected at the edge so tests can drive them. */
export interface SyncDeps {
  /**
   * For each feed's own origin (the configured endpoint's). Default: Node's own http
   * client (http/node-get.ts), so a poll loads no HTTP package; tests pass an Agent.
   */
  dispatcher?: Dispatcher | undefined;
  logger: Logger;
  now: () => Date;
  env: Readonly<Record<string, string | undefined>>;
  /** A clean stop: network work is dropped, the file being written completes, nothing more is written. */
  stop?: AbortSignal;
  /** A hard abort: like stop, but the run counts as failed. */
  signal?: AbortSignal;
  /**
   * For every URL the feed names or redirects to (images, a feed redirect to another host);
   * default: a guarded Agent (private addresses refused unless http.allowPrivateNetworks).
   */
  guardedDispatcher?: DispatcherSource | undefined;
  /** Download progress, for a counter on a terminal. */
  onImageProgress?: ((done: number, total: number) => void) | undefined;
  /** The file system calls of writes (default: node:fs); tests simulate a full or read-only disk. */
  fs?: WriteFs;
}

export interface SyncOptions {
  allowMassDelete?: boolean;
  /** Take the feed as the whole collection, whatever its items_total_count says (a count Dropmark gets wrong). */
  allowPartialFeed?: boolean;
  /** Ignore the cache of the last run. */
  full?: boolean;
  /** Plan only: no lock, no writes, no cache, no heartbeat, no image request. */
  dryRun?: boolean;
  /** With dryRun: each collection's summary holds the text of every file that would change (`textChanges`). */
  diff?: boolean;
  /** Who holds the lock, for the message another writer sees. */
  command?: string;
  /** Try every missing image now, whatever its backoff says. */
  retryImages?: boolean;
}

export interface RunControl {
  /** Aborts network work: a stop request, the deadline, or a hard abort. */
  networkSignal: AbortSignal;
  /** Asked between file writes. */
  shouldStop: () => boolean;
  /** Why the run stops, once it does: 'stop' (a clean stop) or 'abort' (deadline, hard abort). */
  stopKind: () => 'stop' | 'abort' | undefined;
}

/** Where a collection's feed state is kept in cacheDir, and the job it belongs to. */
export interface FeedCache {
  file: string;
  /** The job's identity: another config or tool version means another job, and no cache. */
  key: string;
  log: Logger;
}

/** The feed a collection is read from, and how. */
export interface FeedSource {
  /** As configured: it may carry the key or a password, so it is never shown. */
  endpoint: string;
  /** The feed URL without key or password: what messages and the summary show. */
  feedUrl: string;
  http: HttpConfig;
  fetchDeps: FetchDeps;
  /** Re-signed thumbnail URLs are no change unless the files carry them (images.mode remote). */
  stripSignatures: boolean;
  log: Logger;
}

/**
 * One collection's pass as its two orchestrators see it (collection.ts, full-pass.ts): the
 * settings, worked out once, of which they hand each stage the part it needs.
 */
export interface CollectionRun {
  siteDir: string;
  collection: CollectionConfig;
  deps: SyncDeps & { guardedDispatcher: DispatcherSource };
  options: SyncOptions;
  control: RunControl;
  log: Logger;
  source: FeedSource;
  cache: FeedCache;
  /** The collection's read key (DROPMARK_API_KEY): what no message may show. */
  apiKey: string | undefined;
}

export function collectionRun(
  config: Config,
  collection: CollectionConfig,
  deps: SyncDeps & { guardedDispatcher: DispatcherSource },
  options: SyncOptions,
  control: RunControl,
): CollectionRun {
  const feedUrl = stripSecrets(collection.endpoint);
  const apiKey = deps.env['DROPMARK_API_KEY'] || undefined;
  const log = deps.logger;
  const fetchDeps: FetchDeps = {
    dispatcher: deps.dispatcher,
    guardedDispatcher: deps.guardedDispatcher,
    allowPrivateNetworks: config.http.allowPrivateNetworks,
    logger: log,
    now: () => deps.now().getTime(),
    apiKey,
    signal: control.networkSignal,
  };
  return {
    siteDir: config.siteDir,
    collection,
    deps,
    options,
    control,
    log,
    source: {
      endpoint: collection.endpoint,
      feedUrl,
      http: config.http,
      fetchDeps,
      stripSignatures: collection.images.mode !== 'remote',
      log,
    },
    cache: {
      file: stateFile(config.cacheDir, config.siteDir, collection.contentDir, feedUrl),
      // Everything that decides what a pass writes: the collection's settings, and whether the images may come from a
      // private address (a refusal by the config is tried again once the config changes, safety.md).
      key: configKey({ version: VERSION, collection, feedUrl, allowPrivateNetworks: config.http.allowPrivateNetworks }),
      log,
    },
    apiKey,
  };
}

/** A folder of the config as the pass's relative paths write it: with `/`, no trailing one. */
export const slashed = (dir: string) => dir.split(path.sep).join('/').replace(/\/+$/, '');
