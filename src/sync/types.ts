import path from 'node:path';
import type { Dispatcher } from 'undici';
import type { WriteFs } from '../fs/atomic-write.js';
import type { CollectionConfig, Config } from '../config/schema.js';
import type { FetchDeps } from '../feed/client.js';
import type { DispatcherSource } from '../http/client.js';
import type { Logger } from '../log.js';
import { stripSecrets } from '../text/redact.js';
import { configKey, stateFile } from '../state/feed-cache.js';
import { VERSION } from '../version.js';

/** Side effects, injected at the edge so tests can drive them. */
export interface SyncDeps {
  /**
   * For each feed's own origin (the configured endpoint's). Default: fetch's own (Node's
   * bundled undici), so a poll loads no HTTP package; tests pass an Agent.
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
  /** With dryRun: put the text of every file that would change in each collection's summary (`textChanges`), for a diff. */
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

/** One collection's pass: its settings, and what every stage of it needs. */
export interface CollectionContext {
  config: Config;
  collection: CollectionConfig;
  deps: SyncDeps;
  options: SyncOptions;
  control: RunControl;
  log: Logger;
  /** The feed URL without key or password: what messages and the summary show. */
  feedUrl: string;
  apiKey: string | undefined;
  /** This collection's feed state in cacheDir. */
  cacheFile: string;
  /** The job's identity: another config or tool version means another job, and no cache. */
  key: string;
  fetchDeps: FetchDeps;
  /** The content folder and the images folder, relative to siteDir, with `/`. */
  contentDir: string;
  imageDir: string;
  manifestPath: string;
  /** The uploaded files' folder and manifest (files.dir, files.manifest), relative to siteDir, with `/`. */
  fileDir: string;
  fileManifestPath: string;
}

const slashed = (dir: string) => dir.split(path.sep).join('/').replace(/\/+$/, '');

export function collectionContext(
  config: Config,
  collection: CollectionConfig,
  deps: SyncDeps & { guardedDispatcher: DispatcherSource },
  options: SyncOptions,
  control: RunControl,
): CollectionContext {
  const feedUrl = stripSecrets(collection.endpoint);
  const apiKey = deps.env['DROPMARK_API_KEY'] || undefined;
  return {
    config,
    collection,
    deps,
    options,
    control,
    log: deps.logger,
    feedUrl,
    apiKey,
    cacheFile: stateFile(config.cacheDir, config.siteDir, collection.contentDir, feedUrl),
    key: configKey({ version: VERSION, collection, feedUrl }),
    fetchDeps: {
      dispatcher: deps.dispatcher,
      guardedDispatcher: deps.guardedDispatcher,
      allowPrivateNetworks: config.http.allowPrivateNetworks,
      logger: deps.logger,
      now: () => deps.now().getTime(),
      apiKey,
      signal: control.networkSignal,
    },
    contentDir: slashed(collection.contentDir),
    imageDir: slashed(collection.images.dir),
    manifestPath: collection.images.manifest as string,
    fileDir: slashed(collection.files.dir),
    fileManifestPath: collection.files.manifest as string,
  };
}
