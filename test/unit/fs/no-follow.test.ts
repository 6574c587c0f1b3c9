import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNoFollow, readNoFollow, readNoFollowSync } from '../../../src/fs/no-follow.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dms-no-follow-'));
  await writeFile(path.join(dir, 'post.md'), 'a post\n');
  await writeFile(path.join(dir, 'outside.md'), 'not the site\n');
  await symlink(path.join(dir, 'outside.md'), path.join(dir, 'linked.md'));
  await mkdir(path.join(dir, 'folder.md'));
  expect(spawnSync('mkfifo', [path.join(dir, 'fifo.md')]).status).toBe(0);
});

// The promise form and the synchronous one (a folder's files read one after another) refuse the same things.
const readers = {
  readNoFollow,
  readNoFollowSync: async (file: string) => readNoFollowSync(file),
};

describe.each(Object.entries(readers))('%s', (_name, read) => {
  it('reads a regular file whole, with its stats', async () => {
    const got = await read(path.join(dir, 'post.md'));
    expect(got.text).toBe('a post\n');
    expect(got.stats.size).toBe(7);
  });

  it('never reads through a symbolic link', async () => {
    await expect(read(path.join(dir, 'linked.md'))).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('refuses a FIFO without waiting for a writer, and a folder, as not a regular file', async () => {
    const fifo = path.join(dir, 'fifo.md');
    await expect(read(fifo)).rejects.toMatchObject({
      code: 'ENOTREG',
      path: fifo,
      message: `${fifo} is not a regular file; remove it`,
    });
    await expect(read(path.join(dir, 'folder.md'))).rejects.toMatchObject({ code: 'ENOTREG' });
  });

  it('passes on a missing file as ENOENT', async () => {
    await expect(read(path.join(dir, 'gone.md'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('openNoFollow', () => {
  it('opens a regular file for a stream, never a symbolic link', async () => {
    const handle = await openNoFollow(path.join(dir, 'post.md'));
    expect(await text(handle.createReadStream())).toBe('a post\n');
    await expect(openNoFollow(path.join(dir, 'linked.md'))).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('opens a FIFO without waiting for a writer', async () => {
    const handle = await openNoFollow(path.join(dir, 'fifo.md'));
    expect((await handle.stat()).isFIFO()).toBe(true);
    await handle.close();
  });
});
