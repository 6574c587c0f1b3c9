import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import { beforeEach, describe, expect, it } from 'vitest';
import { StateFileError, SymlinkRefusedError } from '../../../src/errors.js';
import type { Logger } from '../../../src/log.js';
import { loadFeedState } from '../../../src/state/feed-cache.js';
import { readHeartbeat } from '../../../src/state/heartbeat.js';
import { loadImageFailures } from '../../../src/state/image-failures.js';
import { readJsonFile, writeJsonFile } from '../../../src/state/json-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dms-json-file-'));
});

const schema = z.object({ n: z.int() });

describe('readJsonFile: a file of the cache folder as read back', () => {
  it('the data, when it is what the schema says', async () => {
    await writeFile(path.join(dir, 'a.json'), '{ "n": 3 }\n');
    expect(await readJsonFile(path.join(dir, 'a.json'), schema)).toEqual({ kind: 'read', data: { n: 3 } });
  });

  it('missing, when there is no file (no damage)', async () => {
    expect(await readJsonFile(path.join(dir, 'none.json'), schema)).toEqual({ kind: 'missing' });
  });

  it('unreadable, with the system error, when it cannot be read (a folder at its name)', async () => {
    await mkdir(path.join(dir, 'a.json'));
    const read = await readJsonFile(path.join(dir, 'a.json'), schema);
    expect(read.kind).toBe('unreadable');
    expect(read.kind === 'unreadable' && read.error.code).toBe('ENOTREG');
  });

  it('unreadable, never followed nor waited on: a symbolic link or a FIFO at its name', async () => {
    await writeFile(path.join(dir, 'real.json'), '{ "n": 3 }\n');
    await symlink(path.join(dir, 'real.json'), path.join(dir, 'link.json'));
    const linked = await readJsonFile(path.join(dir, 'link.json'), schema);
    expect(linked.kind === 'unreadable' && linked.error.code).toBe('ELOOP');
    expect(spawnSync('mkfifo', [path.join(dir, 'fifo.json')]).status).toBe(0);
    const fifo = await readJsonFile(path.join(dir, 'fifo.json'), schema);
    expect(fifo.kind === 'unreadable' && fifo.error.code).toBe('ENOTREG');
  });

  it('not JSON, when its text does not parse', async () => {
    await writeFile(path.join(dir, 'a.json'), '{ "n": 3,');
    expect(await readJsonFile(path.join(dir, 'a.json'), schema)).toEqual({ kind: 'not-json' });
  });

  it('the wrong shape, with the first problem and where it is', async () => {
    await writeFile(path.join(dir, 'a.json'), '{ "n": "3" }');
    const read = await readJsonFile(path.join(dir, 'a.json'), schema);
    expect(read).toMatchObject({
      kind: 'wrong-shape',
      issue: { path: ['n'], message: 'Invalid input: expected number, received string' },
    });
  });
});

describe('writeJsonFile', () => {
  it('writes two-space JSON with a final newline, making the folder, and leaves no temp file', async () => {
    const file = path.join(dir, 'feeds', 'a.json');
    await writeJsonFile(file, { n: 1, list: ['x'] });
    expect(await readFile(file, 'utf8')).toBe('{\n  "n": 1,\n  "list": [\n    "x"\n  ]\n}\n');
    expect(await readdir(path.join(dir, 'feeds'))).toEqual(['a.json']);
  });

  it('never writes through a symbolic link at its name', async () => {
    const elsewhere = path.join(dir, 'elsewhere.json');
    await writeFile(elsewhere, 'theirs');
    await symlink(elsewhere, path.join(dir, 'a.json'));
    await expect(writeJsonFile(path.join(dir, 'a.json'), { n: 1 })).rejects.toBeInstanceOf(SymlinkRefusedError);
    expect(await readFile(elsewhere, 'utf8')).toBe('theirs');
  });
});

describe('each reader keeps its own answer to a damaged file', () => {
  const damaged: [string, (file: string) => Promise<void>][] = [
    ['a folder', (file) => mkdir(file)],
    ['broken JSON', (file) => writeFile(file, '{ not json')],
    ['the wrong shape', (file) => writeFile(file, '{}')],
  ];

  it.each(damaged)('the heartbeat: %s is a StateFileError that names the file', async (what, make) => {
    const file = path.join(dir, 'last-run.json');
    await make(file);
    const error = await readHeartbeat(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as StateFileError).file).toBe(file);
    expect((error as Error).message).toBe(
      {
        'a folder': `cannot read ${file} (ENOTREG)`,
        'broken JSON': `${file} is not valid JSON; it is not a heartbeat the tool wrote (the next sync replaces it)`,
        'the wrong shape':
          `${file} is not a heartbeat the tool wrote (Invalid input: expected string, received undefined ` +
          'at version); the next sync replaces it',
      }[what],
    );
  });

  it('the heartbeat: none yet is no heartbeat', async () => {
    expect(await readHeartbeat(dir)).toBeUndefined();
  });

  it.each(damaged)("a feed's state: %s is no state (a full pass)", async (_what, make) => {
    await make(path.join(dir, 'feed.json'));
    expect(await loadFeedState(path.join(dir, 'feed.json'))).toBeUndefined();
  });

  it.each(damaged)('the failed downloads: %s is no record, said at debug level', async (what, make) => {
    const lines: string[] = [];
    const logger: Logger = { debug: (_obj, msg) => void lines.push(msg ?? ''), info() {}, warn() {}, error() {} };
    await make(path.join(dir, 'feed.images.json'));
    expect(await loadImageFailures(path.join(dir, 'feed.images.json'), logger)).toEqual(new Map());
    expect(lines).toEqual([
      what === 'a folder'
        ? 'image failure records unreadable; trying every image'
        : 'image failure records are not in the expected shape; trying every image',
    ]);
  });
});
