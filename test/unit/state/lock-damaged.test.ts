import { execFileSync } from 'node:child_process';
import type { Stats } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { StateFileError } from '../../../src/errors.js';
import { acquireLock, type ProcessTable } from '../../../src/state/lock.js';

let siteDir: string;
let file: string;
const now = () => new Date('2026-11-26T10:00:00Z');
// Every holder counts as gone: a lock that were read as a holder would be taken over.
const gone: ProcessTable = { isAlive: () => false, startOf: () => undefined };
const options = () => ({ siteDir, staleMs: 1, command: 'sync', now, processes: gone });
beforeEach(async () => {
  siteDir = await mkdtemp(path.join(tmpdir(), 'dms-lock-damaged-'));
  file = path.join(siteDir, '.dropmark-sync.lock');
});

const holder = { pid: 4242, host: hostname(), startedAt: '2026-11-26T09:00:00Z', command: 'sync', token: 'other' };

describe('a lock file that is not a lock this tool wrote', () => {
  it.each([
    ['empty', ''],
    ['broken JSON', '{"pid": 4242,'],
    ['JSON null', 'null'],
    ['an array', JSON.stringify([holder])],
    ['an empty object', '{}'],
    ['the pid as text', JSON.stringify({ ...holder, pid: '4242' })],
    ['a negative pid', JSON.stringify({ ...holder, pid: -1 })],
    ['a fractional pid', JSON.stringify({ ...holder, pid: 42.5 })],
    ['no host', JSON.stringify({ ...holder, host: undefined })],
    ['the host as a number', JSON.stringify({ ...holder, host: 1 })],
    ['no start time', JSON.stringify({ ...holder, startedAt: undefined })],
    ['the token as a number', JSON.stringify({ ...holder, token: 7 })],
  ])('%s: reported as one StateFileError, neither taken over nor changed', async (_name, text) => {
    await writeFile(file, text);
    const error = await acquireLock(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as StateFileError).file).toBe(file);
    expect((error as Error).message).toBe(
      `${file} is not a lock this tool wrote; if no dropmark-sync is running on this site, remove it`,
    );
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await readdir(siteDir)).toEqual(['.dropmark-sync.lock']);
  });

  it(
    'a sound lock of a gone holder is taken over ' + '(the damaged cases above are refused for their shape alone)',
    async () => {
      await writeFile(file, JSON.stringify(holder));
      const lock = await acquireLock(options());
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
    },
  );

  it('release leaves a lock file that was damaged meanwhile: without our token it is not ours to remove', async () => {
    const lock = await acquireLock(options());
    await writeFile(file, 'garbage{');
    await lock.release();
    expect(await readFile(file, 'utf8')).toBe('garbage{');
  });
});

describe('release, when something else took the place of the lock meanwhile', () => {
  const folder = async (at: string) => void (await mkdir(at));
  const fifo = async (at: string) => void execFileSync('mkfifo', [at]);
  it.each([
    ['a folder', folder, (s: Stats) => s.isDirectory()],
    ['a FIFO', fifo, (s: Stats) => s.isFIFO()],
  ])('%s: left alone, told at debug level, and release neither throws nor waits', async (_what, make, kind) => {
    const debug: string[] = [];
    const logger = {
      debug: (_o: object, msg?: string) => void debug.push(msg ?? ''),
      info() {},
      warn() {},
      error() {},
    };
    const lock = await acquireLock({ ...options(), logger });
    await rm(file);
    await make(file);
    await expect(lock.release()).resolves.toBeUndefined();
    expect(kind(await stat(file))).toBe(true);
    expect(debug).toEqual(['the lock could not be read back at release; left']);
  });
});

describe('a refresh of the lock that fails', () => {
  it('is told at debug level, and the lock is still released', async () => {
    const debug: string[] = [];
    let told: () => void = () => {};
    const firstDebug = new Promise<void>((resolve) => {
      told = resolve;
    });
    const logger = {
      debug: (_o: object, msg?: string) => {
        debug.push(msg ?? '');
        told();
      },
      info() {},
      warn() {},
      error() {},
    };
    // staleMs 4 s: a refresh every second; the test waits for the refresh's debug line, not for a time.
    const lock = await acquireLock({ ...options(), staleMs: 4000, logger });
    await rm(file);
    await firstDebug;
    expect(debug[0]).toBe('the lock could not be refreshed; trying again at the next refresh');
    await lock.release();
    expect(await readdir(siteDir)).toEqual([]);
  });
});
