import { mkdtemp, readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockFile, LockHeldError } from '../../../src/state/lock.js';

let cacheDir: string;
const siteDir = '/srv/site/output';
const now = () => new Date('2026-11-26T10:00:00Z');
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'dms-lock-'));
});
const base = () => ({ cacheDir, siteDir, staleMs: 3_600_000, command: 'sync', now });

async function plantLock(holder: Record<string, unknown>) {
  const file = lockFile(cacheDir, siteDir);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ host: hostname(), command: 'sync', token: 'other', ...holder }));
  return file;
}

describe('site lock', () => {
  it('is taken, names its holder, and is released', async () => {
    const lock = await acquireLock(base());
    const holder = JSON.parse(await readFile(lock.file, 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), startedAt: '2026-11-26T10:00:00.000Z', command: 'sync' });
    await lock.release();
    expect(await readdir(path.dirname(lock.file))).toEqual([]);
  });

  it('refuses a second writer while the first holds it, naming the holder', async () => {
    const first = await acquireLock(base());
    const error = await acquireLock({ ...base(), command: 'schedule' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as Error).message).toMatch(new RegExp(`pid ${process.pid} on ${hostname()}`));
    await first.release();
    const second = await acquireLock(base());
    await second.release();
  });

  it('takes over a lock whose process is gone, with a warning', async () => {
    await plantLock({ pid: 999_999, startedAt: now().toISOString() });
    const warnings: string[] = [];
    const lock = await acquireLock({ ...base(), isAlive: () => false, onTakeover: (_h, why) => warnings.push(why) });
    expect(warnings).toEqual(['its process 999999 is gone']);
    expect(JSON.parse(await readFile(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock older than the stale time, even from a live process elsewhere', async () => {
    await plantLock({ pid: 1, host: 'other-host', startedAt: '2026-11-26T08:00:00Z' });
    const warnings: string[] = [];
    const lock = await acquireLock({ ...base(), onTakeover: (_h, why) => warnings.push(why) });
    expect(warnings[0]).toMatch(/older than 3600000 ms/);
    await lock.release();
  });

  it('does not take over a fresh lock of a live process on another host', async () => {
    await plantLock({ pid: 1, host: 'other-host', startedAt: '2026-11-26T09:59:00Z' });
    await expect(acquireLock(base())).rejects.toThrow(/pid 1 on other-host/);
  });

  it('release leaves a lock that is no longer its own', async () => {
    const lock = await acquireLock(base());
    const file = await plantLock({ pid: 4242, startedAt: now().toISOString() });
    await lock.release();
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(4242);
  });
});
