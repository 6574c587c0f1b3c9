import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import '../text/zod-english.js';
import { describeError, DropmarkSyncError, StateFileError } from '../errors.js';
import { readNoFollow } from '../fs/no-follow.js';
import { jsonText } from '../text/json-text.js';
import { silentLogger, type Logger } from '../log.js';

const holderSchema = z.object({
  pid: z.int().check(z.positive()),
  host: z.string(),
  startedAt: z.string(),
  command: z._default(z.string(), 'sync'),
  token: z._default(z.string(), ''),
  /** When the holder's process started (Linux: clock ticks since boot), to tell a reused pid from the holder. */
  processStart: z.optional(z.string()),
});

export type LockHolder = z.output<typeof holderSchema>;

/** A lock file's text: broken JSON and a wrong shape alike are not a lock this tool wrote. */
const lockText = z.pipe(jsonText, holderSchema);
/** At release only the token matters: it is random, so a file that carries ours is the one we placed. */
const ownerText = z.pipe(jsonText, z.object({ token: z.string() }));

/** Another process holds the site's lock: `holder` says which (pid, host, command, start), `lockFile` where. */
export class LockHeldError extends DropmarkSyncError {
  override name = 'LockHeldError';
  readonly holder: LockHolder;
  readonly lockFile: string;
  constructor({ holder, lockFile }: { holder: LockHolder; lockFile: string }) {
    super(
      `another dropmark-sync (pid ${holder.pid} on ${holder.host}, ${holder.command}, started ${holder.startedAt}) ` +
        `is writing to this site; try again when it is done. If it is gone for good, remove ${lockFile}`,
    );
    this.holder = holder;
    this.lockFile = lockFile;
  }
}

export interface LockOptions {
  siteDir: string;
  /** A lock of another host not refreshed for this long is taken over (its holder is presumed dead). */
  staleMs: number;
  command: string;
  now: () => Date;
  /** Whether a pid is alive on this host, and when it started; injectable for tests. */
  processes?: ProcessTable;
  onTakeover?: (holder: LockHolder, why: string) => void;
  /** Where cleanups that failed are told (a refresh, an aside file, a release); silent by default. */
  logger?: Logger;
}

export interface ProcessTable {
  isAlive(pid: number): boolean;
  /** A value that changes when a pid is reused, or undefined where the system does not tell. */
  startOf(pid: number): string | undefined;
}

export interface SiteLock {
  file: string;
  /** Removes the lock if it is still ours. Never throws: what it cannot do is told in the log. */
  release(): Promise<void>;
  /** For a process that must exit at once (a second signal): no awaiting. */
  releaseSync(): void;
}

export const LOCK_NAME = '.dropmark-sync.lock';

/**
 * One writer per site. The lock lives in the site folder itself, so every run on that folder
 * sees it whatever its working folder, cacheDir or the path it was given (a symlink, a
 * relative path): the site is the thing to protect. It is created atomically (written aside,
 * then hard-linked into place, which fails if a lock exists).
 *
 * A lock is taken over only when its holder is certainly gone: on this host, its pid is dead
 * or now belongs to another process; on another host (a shared volume), it has not been
 * refreshed for `staleMs`. A live holder on this host is never taken over, however long it runs:
 * it refreshes the lock while it holds it.
 */
export async function acquireLock(options: LockOptions): Promise<SiteLock> {
  const processes = options.processes ?? systemProcesses;
  const file = lockFile(options.siteDir);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: options.now().toISOString(),
    command: options.command,
    token: randomBytes(8).toString('hex'),
    ...optional('processStart', processes.startOf(process.pid)),
  };
  const aside = `${file}.${holder.token}.new`;
  try {
    await mkdir(options.siteDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' && error.code !== 'ENOTDIR') throw error;
      throw new StateFileError(
        `the site's folder ${options.siteDir} is a file or a broken link, or inside a file: point siteDir ` +
          '(or --site-dir) at a folder',
        { file: options.siteDir },
      );
    });
    await writeFile(aside, `${JSON.stringify(holder)}\n`, { flag: 'wx', mode: 0o644 });
    return await placeLock(file, aside, holder, options, processes);
  } catch (error) {
    if (error instanceof DropmarkSyncError) throw error;
    throw new StateFileError(`cannot take the site's lock ${file}: ${describeError(error)}`, { file });
  } finally {
    await unlink(aside).catch((error: NodeJS.ErrnoException) => {
      // ENOENT: it was never written. Otherwise a small file stays beside the lock: told, not fatal.
      if (error.code !== 'ENOENT')
        options.logger?.debug({ file: aside, err: error }, "the lock's aside file could not be removed");
    });
  }
}

async function placeLock(
  file: string,
  aside: string,
  holder: LockHolder,
  options: LockOptions,
  processes: ProcessTable,
): Promise<SiteLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await link(aside, file);
      return makeLock(file, holder.token, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(file);
    if (current === undefined) continue; // released meanwhile: try again
    const stale = staleReason(current, options.now().getTime(), options.staleMs, processes);
    if (!stale) throw new LockHeldError({ holder: current.holder, lockFile: file });
    const done = () => options.onTakeover?.(current.holder, stale);
    await takeOver(file, `${file}.${holder.token}.stale`, current.holder, done, options.logger ?? silentLogger);
  }
  const current = await readHolder(file);
  if (current) throw new LockHeldError({ holder: current.holder, lockFile: file });
  throw new StateFileError(`could not take the lock ${file}; try again`, { file });
}

/**
 * Moves the stale lock away (of two processes taking over, only one wins the rename), then
 * checks that what it moved is the lock it judged: another process may have taken it over in
 * between, and a live lock moved by mistake is put back (the retry then reports its holder).
 */
async function takeOver(file: string, away: string, judged: LockHolder, done: () => void, log: Logger): Promise<void> {
  try {
    await rename(file, away);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(away).catch((error: unknown) => {
    // Unreadable, it cannot be a live lock placed meanwhile (those are written whole): the stale one is removed.
    log.debug({ file: away, err: error }, 'the lock moved aside does not read back; removed as the stale one');
    return undefined;
  });
  if (moved !== undefined && moved.holder.token !== judged.token) {
    await link(away, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await unlink(away);
    return;
  }
  await unlink(away);
  done();
}

/** Where the lock of a site lives: `<siteDir>/.dropmark-sync.lock`. */
export function lockFile(siteDir: string): string {
  return path.join(path.resolve(siteDir), LOCK_NAME);
}

/** Why the holder is certainly gone, or undefined while it may still be writing. */
export function staleReason(
  current: { holder: LockHolder; refreshedMs: number },
  nowMs: number,
  staleMs: number,
  processes: ProcessTable,
): string | undefined {
  const { holder } = current;
  if (holder.host === hostname()) {
    // Our own pid in a lock we do not hold: a restarted container reuses pid 1.
    if (holder.pid === process.pid && !ownTokens.has(holder.token))
      return `it was left by an earlier process with pid ${holder.pid}`;
    if (!processes.isAlive(holder.pid)) return `its process ${holder.pid} is gone`;
    const start = processes.startOf(holder.pid);
    if (holder.processStart !== undefined && start !== undefined && start !== holder.processStart) {
      return `its process ${holder.pid} is gone (the pid now belongs to another process)`;
    }
    return undefined;
  }
  if (nowMs - current.refreshedMs > staleMs) return `it was not refreshed for more than ${staleMs} ms (lockStaleMs)`;
  return undefined;
}

/** The holder and when it last refreshed the lock (the file's mtime); undefined when there is no lock. */
async function readHolder(file: string): Promise<{ holder: LockHolder; refreshedMs: number } | undefined> {
  let read: Awaited<ReturnType<typeof readNoFollow>> | undefined;
  try {
    read = await readNoFollow(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // A FIFO or a folder at the lock's name is not a lock this tool wrote either (below).
    if (code !== 'ENOTREG') throw error;
  }
  const parsed = lockText.safeParse(read?.text ?? '');
  if (read === undefined || !parsed.success) {
    throw new StateFileError(
      `${file} is not a lock this tool wrote; if no dropmark-sync is running on this site, remove it`,
      { file },
    );
  }
  return { holder: parsed.data, refreshedMs: read.stats.mtimeMs };
}

/**
 * Locks this process holds, released synchronously when it exits, whatever the path: a
 * second Ctrl-C calls process.exit() in the middle of a sync. Only SIGKILL skips this,
 * and then the next run sees the dead pid.
 */
const held = new Set<SiteLock>();
const ownTokens = new Set<string>();
let exitHookInstalled = false;

function makeLock(file: string, token: string, options: Pick<LockOptions, 'staleMs' | 'now' | 'logger'>): SiteLock {
  const log = options.logger ?? silentLogger;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const lock of held) lock.releaseSync();
    });
  }
  ownTokens.add(token);
  // Refreshed well within the staleness limit, so a host sharing the volume never takes it over.
  const refresh = setInterval(
    () => {
      const now = options.now();
      utimes(file, now, now).catch((error: unknown) => {
        // A missed refresh only matters to another host, after staleMs; the next one comes well before.
        log.debug({ file, err: error }, 'the lock could not be refreshed; trying again at the next refresh');
      });
    },
    Math.max(1000, Math.min(options.staleMs / 4, 60_000)),
  );
  refresh.unref();
  const lock = createLock(file, token, log, () => {
    clearInterval(refresh);
    ownTokens.delete(token);
    held.delete(lock);
  });
  held.add(lock);
  return lock;
}

function createLock(file: string, token: string, log: Logger, forget: () => void): SiteLock {
  let released = false;
  const ours = (text: string) => ownerText.safeParse(text).data?.token === token;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      forget();
      const text = await readNoFollow(file).then(
        (read) => read.text,
        (error: NodeJS.ErrnoException) => {
          // ENOENT: already gone; ELOOP: a symlink now, not ours. Either way there is nothing of ours to remove.
          if (error.code !== 'ENOENT' && error.code !== 'ELOOP')
            log.debug({ file, err: error }, 'the lock could not be read back at release; left');
          return '';
        },
      );
      if (ours(text)) await unlink(file).catch((error: NodeJS.ErrnoException) => notRemoved(error, file, log));
    },
    releaseSync() {
      if (released) return;
      released = true;
      forget();
      try {
        if (ours(readFileSync(file, 'utf8'))) unlinkSync(file);
      } catch (error) {
        notRemoved(error as NodeJS.ErrnoException, file, log);
      }
    },
  };
}

function notRemoved(error: NodeJS.ErrnoException, file: string, log: Logger): void {
  // ENOENT: already gone. Otherwise the lock stays: the next run takes it over once this process is gone.
  if (error.code !== 'ENOENT')
    log.warn({ file, err: error }, "the site's lock could not be removed; the next run takes it over");
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: field 22 of /proc/PID/stat, the process's start time since boot. Elsewhere: undefined. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

const systemProcesses: ProcessTable = { isAlive: pidIsAlive, startOf: processStartTime };
