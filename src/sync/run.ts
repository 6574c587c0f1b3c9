import PQueue from 'p-queue';
import type { Dispatcher } from 'undici';
import type { WriteFs } from '../apply/atomic-write.js';
import type { Config } from '../config/schema.js';
import { describeSystemError } from '../errors.js';
import { createGuardedDispatcher } from '../http/address.js';
import type { Logger } from '../log.js';
import { acquireLock, type SiteLock } from '../state/lock.js';
import { nextHeartbeat, readHeartbeat, writeHeartbeat, type Heartbeat } from '../state/heartbeat.js';
import { runResult, totals, type Summary } from '../summary.js';
import { syncCollection, type RunControl } from './collection.js';
import { VERSION } from '../version.js';

export type { Summary, CollectionSummary, Counts, ItemFailure } from '../summary.js';

/** Side effects, injected at the edge so tests can drive them. */
export interface SyncDeps {
  dispatcher: Dispatcher;
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
  guardedDispatcher?: Dispatcher;
  /** Download progress, for a counter on a terminal. */
  onImageProgress?: ((done: number, total: number) => void) | undefined;
  /** The file system calls of writes (default: node:fs); tests simulate a full or read-only disk. */
  fs?: WriteFs;
  /** Called right before each file change becomes visible (tests slow writes and removals down with it). */
  beforeCommit?: (relPath: string) => Promise<void>;
}

export interface SyncOptions {
  allowMassDelete?: boolean;
  /** Ignore the cache of the last run. */
  full?: boolean;
  /** Plan only: no lock, no writes, no cache, no heartbeat. */
  dryRun?: boolean;
  /** With dryRun: put the unified diff of what would change in each collection's summary. */
  diff?: boolean;
  /** Who holds the lock, for the message another writer sees. */
  command?: string;
  /** Try every missing image now, whatever its backoff says. */
  retryImages?: boolean;
}

/**
 * One pass over every configured collection, concurrently, under the site's lock. Throws
 * only when the run cannot start (the lock is held); a collection's failure is in the
 * summary, and one failing collection does not stop the others.
 */
export async function sync(config: Config, deps: SyncDeps, options: SyncOptions = {}): Promise<Summary> {
  const startedAt = deps.now();
  const started = Date.now();
  const lock: SiteLock | undefined = options.dryRun
    ? undefined
    : await acquireLock({
        siteDir: config.siteDir,
        staleMs: config.lockStaleMs,
        command: options.command ?? 'sync',
        now: deps.now,
        onTakeover: (holder, why) =>
          deps.logger.warn({ pid: holder.pid, host: holder.host, startedAt: holder.startedAt }, `took over a stale lock: ${why}`),
      });
  try {
    const deadline = AbortSignal.timeout(config.deadlineMs);
    const abortSignals = [deadline, ...(deps.signal ? [deps.signal] : [])];
    const control: RunControl = {
      networkSignal: AbortSignal.any([...abortSignals, ...(deps.stop ? [deps.stop] : [])]),
      shouldStop: () => control.stopKind() !== undefined,
      stopKind: () => (abortSignals.some((s) => s.aborted) ? 'abort' : deps.stop?.aborted ? 'stop' : undefined),
    };
    // One guarded dispatcher for every collection, unless the caller brought one.
    const ownGuarded = deps.guardedDispatcher
      ? undefined
      : createGuardedDispatcher(config.http.timeoutMs, config.http.allowPrivateNetworks);
    const runDeps: SyncDeps = ownGuarded ? { ...deps, guardedDispatcher: ownGuarded } : deps;
    const queue = new PQueue({ concurrency: 4 });
    const collections = await Promise.all(
      config.collections.map((collection) => queue.add(() => syncCollection(config, collection, runDeps, options, control))),
    ).finally(() => ownGuarded?.close());
    const result = runResult(collections);
    const summary: Summary = {
      ...totals(collections),
      ok: result !== 'failed',
      result,
      dryRun: options.dryRun === true,
      stopped: collections.some((c) => c.result === 'stopped'),
      collections,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - started,
    };
    if (control.stopKind() === 'abort' && deadline.aborted) {
      deps.logger.error({ deadlineMs: config.deadlineMs }, 'the sync ran past its deadline (deadlineMs) and was stopped');
    }
    if (!options.dryRun) await recordHeartbeat(config, deps, summary);
    return summary;
  } finally {
    await lock?.release();
  }
}

async function recordHeartbeat(config: Config, deps: SyncDeps, summary: Summary): Promise<void> {
  const result = summary.result;
  let previous: Heartbeat | undefined;
  try {
    previous = await readHeartbeat(config.cacheDir);
  } catch (error) {
    // A damaged heartbeat loses the history (last success, failures in a row); this run starts it again.
    deps.logger.debug({ reason: (error as Error).message }, 'previous heartbeat unreadable; its history is lost');
  }
  try {
    await writeHeartbeat(config.cacheDir, nextHeartbeat(previous, {
      version: VERSION,
      startedAt: summary.startedAt,
      finishedAt: deps.now().toISOString(),
      durationMs: summary.durationMs,
      result,
      imagesMissing: summary.imagesMissing,
      collections: summary.collections.map((c) => ({
        endpoint: c.endpoint,
        result: c.result,
        created: c.created,
        updated: c.updated,
        deleted: c.deleted,
        unchanged: c.unchanged,
        failed: c.failed,
        imagesMissing: c.imagesMissing,
        ...(c.error ? { error: c.error } : {}),
      })),
    }));
  } catch (error) {
    const reason = describeSystemError(error) ?? (error as Error).message;
    deps.logger.warn({ cacheDir: config.cacheDir, reason }, 'could not write the heartbeat file; status will not see this run');
  }
  // The command prints the summary; this is for a debug trace of the scheduler.
  deps.logger.debug(
    { result, durationMs: summary.durationMs, created: summary.created, updated: summary.updated, deleted: summary.deleted },
    'run finished',
  );
}
