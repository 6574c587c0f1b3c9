import type { CollectionConfig, Config, HttpConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { type LazyDispatcher, lazyDispatcher } from '../http/lazy-dispatcher.js';
import { acquireLock, type SiteLock } from '../state/lock.js';
import { nextHeartbeat, readHeartbeat, writeHeartbeat, type Heartbeat } from '../state/heartbeat.js';
import { collectionCounts, summarizeRun, type Summary } from '../summary.js';
import { syncCollection } from './collection.js';
import type { RunControl, SyncDeps, SyncOptions } from './types.js';
import { VERSION } from '../version.js';

export type { Summary, CollectionSummary, Counts, ItemFailure } from '../summary.js';
export type { SyncDeps, SyncOptions } from './types.js';

/**
 * One pass over every configured collection, concurrently, under the site's lock. A
 * collection's failure (feed, items, images, files, a refused run) is in the summary, as text,
 * and one failing collection does not stop the others; the heartbeat and the lock's release
 * never fail the run. Throws only when the run cannot start, before anything is written (a dry
 * run takes no lock, and so never throws), besides what the injected `deps` throw:
 * @throws {LockHeldError} another process holds the site's lock (`holder` says which).
 * @throws {StateFileError} the lock file cannot be made or read (permissions, a file there
 *   that is not a lock, a lock that kept changing); `file` names it.
 */
export async function sync(config: Config, deps: SyncDeps, options: SyncOptions = {}): Promise<Summary> {
  const startedAt = deps.now();
  const lock = options.dryRun ? undefined : await takeLock(config, deps, options);
  const run = runControl(config, deps);
  // One guarded dispatcher for every collection, unless the caller brought one.
  const ownGuarded = deps.guardedDispatcher ? undefined : lazyGuardedDispatcher(config.http, deps.logger);
  try {
    const runDeps = {
      ...deps,
      guardedDispatcher: deps.guardedDispatcher ?? (ownGuarded as LazyDispatcher).get,
    };
    const collections = await eachCollection(config.collections, (collection) =>
      syncCollection(config, collection, runDeps, options, run.control),
    );
    const summary = summarizeRun(collections, { dryRun: options.dryRun === true, startedAt, finishedAt: deps.now() });
    if (run.control.stopKind() === 'abort' && run.deadline.aborted) {
      deps.logger.error(
        { deadlineMs: config.deadlineMs },
        'the sync ran past its deadline (deadlineMs) and was stopped',
      );
    }
    if (!options.dryRun) await recordHeartbeat(config, deps, summary);
    return summary;
  } finally {
    run.dispose();
    // Never throws (http/lazy-dispatcher.ts): the lock is released whatever the dispatcher did.
    await ownGuarded?.close();
    await lock?.release();
  }
}

/** How many collections are synced at once. */
const COLLECTIONS_AT_ONCE = 4;

/**
 * `pass` on every collection, COLLECTIONS_AT_ONCE at a time, results in config order. Most sites have one or two
 * collections, which all start at once: the queue is loaded only for more (start-up is what every cron poll pays).
 */
async function eachCollection<T>(collections: readonly CollectionConfig[], pass: (c: CollectionConfig) => Promise<T>) {
  if (collections.length <= COLLECTIONS_AT_ONCE) return Promise.all(collections.map(pass));
  const { default: PQueue } = await import('p-queue');
  const queue = new PQueue({ concurrency: COLLECTIONS_AT_ONCE });
  return Promise.all(collections.map((collection) => queue.add(() => pass(collection))));
}

/** The guarded Agent, made on first use: a poll whose feed answers from its own origin loads no undici. */
function lazyGuardedDispatcher(http: HttpConfig, logger: SyncDeps['logger']): LazyDispatcher {
  return lazyDispatcher(
    () =>
      import('../http/guarded-agent.js').then((m) =>
        m.createGuardedDispatcher(http.timeoutMs, http.allowPrivateNetworks),
      ),
    logger,
  );
}

function takeLock(config: Config, deps: SyncDeps, options: SyncOptions): Promise<SiteLock> {
  return acquireLock({
    logger: deps.logger,
    siteDir: config.siteDir,
    staleMs: config.lockStaleMs,
    command: options.command ?? 'sync',
    now: deps.now,
    onTakeover: (holder, why) =>
      deps.logger.warn(
        { pid: holder.pid, host: holder.host, startedAt: holder.startedAt },
        `took over a stale lock: ${why}`,
      ),
  });
}

/**
 * How a run is stopped: a clean stop (the caller's `stop`), or an abort (the deadline, the
 * caller's `signal`). The deadline is a timer (fake timers drive it in tests), cleared at the end.
 */
function runControl(
  config: Config,
  deps: SyncDeps,
): { control: RunControl; deadline: AbortSignal; dispose: () => void } {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('the deadline (deadlineMs) passed')), config.deadlineMs);
  timer.unref();
  const abortSignals = [deadline.signal, ...(deps.signal ? [deps.signal] : [])];
  const control: RunControl = {
    networkSignal: AbortSignal.any([...abortSignals, ...(deps.stop ? [deps.stop] : [])]),
    shouldStop: () => control.stopKind() !== undefined,
    stopKind: () => (abortSignals.some((s) => s.aborted) ? 'abort' : deps.stop?.aborted ? 'stop' : undefined),
  };
  return { control, deadline: deadline.signal, dispose: () => clearTimeout(timer) };
}

async function recordHeartbeat(config: Config, deps: SyncDeps, summary: Summary): Promise<void> {
  const result = summary.result;
  let previous: Heartbeat | undefined;
  try {
    previous = await readHeartbeat(config.cacheDir);
  } catch (error) {
    // A damaged heartbeat loses the history (last success, failures in a row); this run starts it again.
    deps.logger.debug({ reason: describeError(error) }, 'previous heartbeat unreadable; its history is lost');
  }
  try {
    await writeHeartbeat(
      config.cacheDir,
      nextHeartbeat(previous, {
        version: VERSION,
        startedAt: summary.startedAt,
        finishedAt: deps.now().toISOString(),
        durationMs: summary.durationMs,
        result,
        imagesMissing: summary.imagesMissing,
        collections: summary.collections.map(collectionCounts),
      }),
    );
  } catch (error) {
    deps.logger.warn(
      { cacheDir: config.cacheDir, reason: describeError(error) },
      'could not write the heartbeat file; status will not see this run',
    );
  }
  // The command prints the summary; this is for a debug trace of the scheduler.
  deps.logger.debug(
    {
      result,
      durationMs: summary.durationMs,
      created: summary.created,
      updated: summary.updated,
      deleted: summary.deleted,
    },
    'run finished',
  );
}
