import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { DropmarkSyncError } from '../errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  token: string;
}

/** Another process holds the site's lock. */
export class LockHeldError extends DropmarkSyncError {
  override name = 'LockHeldError';
  constructor(
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    super(
      `another dropmark-sync (pid ${holder.pid} on ${holder.host}, ${holder.command}, started ${holder.startedAt}) ` +
        `is writing to this site; try again when it is done. If it is gone for good, remove ${lockFile}`,
    );
  }
}

export interface LockOptions {
  cacheDir: string;
  siteDir: string;
  staleMs: number;
  command: string;
  now: () => Date;
  /** Whether a pid is alive on this host; injectable for tests. */
  isAlive?: (pid: number) => boolean;
  onTakeover?: (holder: LockHolder, why: string) => void;
}

export interface SiteLock {
  file: string;
  release(): Promise<void>;
  /** For a process that must exit at once (a second signal): no awaiting. */
  releaseSync(): void;
}

/**
 * One writer per site. The lock is a small JSON file (pid, host, start time) in cacheDir,
 * named after the site dir, so a crashed run never leaves anything in the committed site.
 * It is created atomically (written aside, then hard-linked into place, which fails if a
 * lock exists). A lock whose holder is dead (same host, pid gone) or older than `staleMs`
 * is taken over: renamed away first, so of two processes taking over only one wins.
 */
export async function acquireLock(options: LockOptions): Promise<SiteLock> {
  const isAlive = options.isAlive ?? pidIsAlive;
  const site = path.resolve(options.siteDir);
  const file = lockFile(options.cacheDir, site);
  await mkdir(path.dirname(file), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: options.now().toISOString(),
    command: options.command,
    token: randomBytes(8).toString('hex'),
  };
  const aside = `${file}.${holder.token}.new`;
  await writeFile(aside, `${JSON.stringify({ ...holder, siteDir: site })}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(aside, file);
        return makeLock(file, holder.token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readHolder(file);
      if (current === undefined) continue; // released meanwhile, or unreadable: try again
      const stale = staleReason(current, options.now().getTime(), options.staleMs, isAlive);
      if (!stale) throw new LockHeldError(current, file);
      try {
        await rename(file, `${file}.${holder.token}.stale`);
        await unlink(`${file}.${holder.token}.stale`).catch(() => {});
        options.onTakeover?.(current, stale);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const current = await readHolder(file);
    if (current) throw new LockHeldError(current, file);
    throw new DropmarkSyncError(`could not take the lock ${file}; try again`);
  } finally {
    await unlink(aside).catch(() => {});
  }
}

/** Where the lock of a site lives: `<cacheDir>/locks/<hash of the site dir>.lock`. */
export function lockFile(cacheDir: string, siteDir: string): string {
  const id = createHash('sha256').update(path.resolve(siteDir)).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'locks', `${id}.lock`);
}

function staleReason(holder: LockHolder, nowMs: number, staleMs: number, isAlive: (pid: number) => boolean): string | undefined {
  if (holder.host === hostname() && !isAlive(holder.pid)) return `its process ${holder.pid} is gone`;
  const started = Date.parse(holder.startedAt);
  if (Number.isNaN(started) || nowMs - started > staleMs) return `it is older than ${staleMs} ms (lockStaleMs)`;
  return undefined;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    if (typeof data.pid !== 'number' || typeof data.host !== 'string') return undefined;
    return {
      pid: data.pid,
      host: data.host,
      startedAt: String(data.startedAt),
      command: String(data.command ?? 'sync'),
      token: String(data.token ?? ''),
    };
  } catch {
    return undefined;
  }
}

/**
 * Locks this process holds, released synchronously when it exits, whatever the path: a
 * second Ctrl-C calls process.exit() in the middle of a sync. Only SIGKILL skips this,
 * and then the next run sees the dead pid.
 */
const held = new Set<SiteLock>();
let exitHookInstalled = false;

function makeLock(file: string, token: string): SiteLock {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const lock of held) lock.releaseSync();
    });
  }
  const lock = createLock(file, token);
  held.add(lock);
  return lock;
}

function createLock(file: string, token: string): SiteLock {
  let released = false;
  const ours = (text: string) => {
    try {
      return (JSON.parse(text) as { token?: string }).token === token;
    } catch {
      return false;
    }
  };
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      held.delete(this);
      const text = await readFile(file, 'utf8').catch(() => '');
      if (ours(text)) await unlink(file).catch(() => {});
    },
    releaseSync() {
      if (released) return;
      released = true;
      held.delete(this);
      try {
        if (ours(readFileSync(file, 'utf8'))) unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
