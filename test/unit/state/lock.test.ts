import { mkdtemp, readFile, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { renameSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { StateFileError } from '../../../src/errors.js';
import { acquireLock, lockFile, LockHeldError, processStartTime, type ProcessTable } from '../../../src/state/lock.js';

let siteDir: string;
const now = () => new Date('2026-11-26T10:00:00Z');
beforeEach(async () => {
  siteDir = await mkdtemp(path.join(tmpdir(), 'dms-lock-'));
});
const alive = (start = '100'): ProcessTable => ({ isAlive: () => true, startOf: () => start });
const base = () => ({ siteDir, staleMs: 3_600_000, command: 'sync', now, processes: alive() });

/** A lock as another process would have left it; mtime = its last refresh. */
async function plantLock(holder: Record<string, unknown>, refreshedAt = now()) {
  const file = path.join(siteDir, '.dropmark-sync.lock');
  await writeFile(
    file,
    JSON.stringify({ host: hostname(), command: 'sync', token: 'other', startedAt: '2026-11-26T09:00:00Z', ...holder }),
  );
  await utimes(file, refreshedAt, refreshedAt);
  return file;
}

const takeovers = () => {
  const why: string[] = [];
  return { why, onTakeover: (_h: unknown, reason: string) => why.push(reason) };
};

describe('site lock', () => {
  it('lives in the site folder, names its holder, and is released without a trace', async () => {
    const lock = await acquireLock(base());
    expect(lock.file).toBe(path.join(siteDir, '.dropmark-sync.lock'));
    const holder = JSON.parse(await readFile(lock.file, 'utf8'));
    expect(holder).toMatchObject({
      pid: process.pid,
      host: hostname(),
      startedAt: '2026-11-26T10:00:00.000Z',
      command: 'sync',
      processStart: '100',
    });
    await lock.release();
    expect(await readdir(siteDir)).toEqual([]);
  });

  it('is the same lock whatever path names the site (relative, through a symlink)', async () => {
    const first = await acquireLock(base());
    const viaLink = path.join(await mkdtemp(path.join(tmpdir(), 'dms-lock-link-')), 'site');
    await symlink(siteDir, viaLink);
    const relative = path.relative(process.cwd(), siteDir);
    for (const other of [viaLink, relative, `${siteDir}/`]) {
      await expect(acquireLock({ ...base(), siteDir: other })).rejects.toBeInstanceOf(LockHeldError);
    }
    await first.release();
  });

  it('refuses a second writer while the first holds it, naming the holder', async () => {
    const first = await acquireLock(base());
    const error = await acquireLock({ ...base(), command: 'schedule' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as Error).message).toMatch(new RegExp(`pid ${process.pid} on ${hostname()}, sync`));
    await first.release();
    // Released, it is free again: the next writer takes it and the file names that writer.
    const second = await acquireLock({ ...base(), command: 'schedule' });
    expect(JSON.parse(await readFile(second.file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'schedule' });
    await second.release();
    expect(await readdir(siteDir)).toEqual([]);
  });

  it('never takes over a live process on this host, however old its lock or skewed the clock', async () => {
    await plantLock(
      { pid: 4242, processStart: '100', startedAt: '2020-01-01T00:00:00Z' },
      new Date('2020-01-01T00:00:00Z'),
    );
    const twoHoursAhead = () => new Date('2026-11-26T12:00:00Z');
    await expect(acquireLock({ ...base(), now: twoHoursAhead })).rejects.toThrow(/pid 4242 on/);
  });

  it('takes over a lock whose process is gone, with a warning', async () => {
    await plantLock({ pid: 999_999 });
    const t = takeovers();
    const lock = await acquireLock({
      ...base(),
      processes: { isAlive: () => false, startOf: () => undefined },
      onTakeover: t.onTakeover,
    });
    expect(t.why).toEqual(['its process 999999 is gone']);
    expect(JSON.parse(await readFile(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('two takers of one stale lock: the slower never removes the lock the faster placed', async () => {
    const file = await plantLock({ pid: 999_999, token: 'dead' });
    const fresh = path.join(siteDir, 'fresh.json');
    await writeFile(
      fresh,
      JSON.stringify({ pid: 4242, host: hostname(), startedAt: '2026-11-26T10:00:00Z', command: 'sync', token: 'A' }),
    );
    // Process A takes the stale lock over right after this process judged it stale.
    const processes: ProcessTable = {
      isAlive: (pid) => {
        if (pid === 999_999) renameSync(fresh, file);
        return pid === 4242;
      },
      startOf: () => undefined,
    };
    const error = await acquireLock({ ...base(), processes }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as Error).message).toMatch(/pid 4242 on/);
    expect(JSON.parse(await readFile(file, 'utf8')).token).toBe('A');
    expect((await readdir(siteDir)).sort()).toEqual(['.dropmark-sync.lock']);
  });

  it('takes over a lock whose pid now belongs to another process (another start time)', async () => {
    await plantLock({ pid: 4242, processStart: '100' });
    const t = takeovers();
    const lock = await acquireLock({ ...base(), processes: alive('555'), onTakeover: t.onTakeover });
    expect(t.why).toEqual(['its process 4242 is gone (the pid now belongs to another process)']);
    await lock.release();
  });

  it(
    'takes over a lock left with its own pid by an earlier process ' + '(a restarted container is pid 1 again)',
    async () => {
      await plantLock({ pid: process.pid });
      const t = takeovers();
      const lock = await acquireLock({ ...base(), onTakeover: t.onTakeover });
      expect(t.why).toEqual([`it was left by an earlier process with pid ${process.pid}`]);
      await lock.release();
    },
  );

  it('takes over a lock of another host only when it was not refreshed within lockStaleMs', async () => {
    await plantLock({ pid: 1, host: 'other-host' }, new Date('2026-11-26T09:59:00Z'));
    await expect(acquireLock(base())).rejects.toThrow(/pid 1 on other-host/);
    await plantLock({ pid: 1, host: 'other-host' }, new Date('2026-11-26T08:59:59Z'));
    const t = takeovers();
    const lock = await acquireLock({ ...base(), onTakeover: t.onTakeover });
    expect(t.why).toEqual(['it was not refreshed for more than 3600000 ms (lockStaleMs)']);
    await lock.release();
  });

  it('a lock file that is not JSON of a holder is reported, not taken over or thrown raw', async () => {
    await writeFile(path.join(siteDir, '.dropmark-sync.lock'), 'garbage{');
    const error = await acquireLock(base()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toMatch(
      /is not a lock this tool wrote; if no dropmark-sync is running on this site, remove it/,
    );
  });

  it('a symlink planted at the lock path is not followed', async () => {
    const target = path.join(await mkdtemp(path.join(tmpdir(), 'dms-lock-target-')), 'x.json');
    await writeFile(target, JSON.stringify({ pid: 4242, host: hostname(), startedAt: 'x' }));
    await symlink(target, path.join(siteDir, '.dropmark-sync.lock'));
    await expect(acquireLock(base())).rejects.toBeInstanceOf(StateFileError);
    expect(JSON.parse(await readFile(target, 'utf8')).pid).toBe(4242);
  });

  it('release leaves a lock that is no longer its own', async () => {
    const lock = await acquireLock(base());
    const file = await plantLock({ pid: 4242 });
    await lock.release();
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(4242);
  });

  it('a site folder that is a file, or inside one, is one clear error, and no aside file is left', async () => {
    const file = path.join(siteDir, 'not-a-folder');
    await writeFile(file, '');
    for (const site of [file, path.join(file, 'site')]) {
      const error = await acquireLock({ ...base(), siteDir: site }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateFileError);
      expect((error as Error).message).toBe(
        `the site's folder ${site} is a file or a broken link, or inside a file: ` +
          'point siteDir (or --site-dir) at a folder',
      );
    }
    expect(await readdir(siteDir)).toEqual(['not-a-folder']);
  });

  it('reads a process start time on Linux', () => {
    expect(lockFile('a/b')).toBe(path.resolve('a/b/.dropmark-sync.lock'));
    if (process.platform === 'linux') expect(processStartTime(process.pid)).toMatch(/^\d+$/);
  });
});
