import { mkdtemp, mkdir, readdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/apply/apply.js';
import { SyncRefusedError } from '../../../src/errors.js';
import { nodeFs, type WriteFs } from '../../../src/fs/atomic-write.js';
import { toFileOps, type Change, type FileOp } from '../../../src/plan/post-plan.js';

let site: string;
beforeEach(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'dms-apply-'));
});

const applyChanges = (site: string, _dir: string, changes: Change[], stray: string[] = []) =>
  applyOps(site, toFileOps(changes), { strayTempFiles: stray });
const create = (name: string, text: string) =>
  ({ kind: 'create', relPath: `content/post/${name}`, text, id: '1', title: '', link: '', editUrl: '' }) as const;
const update = (name: string, text: string, extra: { renamedFrom?: string } = {}): Change => ({
  ...create(name, text),
  kind: 'update',
  before: '',
  changedKeys: [],
  ...extra,
});

describe('applyChanges', () => {
  it('writes files and leaves no temp file behind', async () => {
    const result = await applyChanges(site, 'content/post', [create('a.md', 'A')]);
    expect(result.written).toEqual(['content/post/a.md']);
    expect(await readFile(path.join(site, 'content/post/a.md'), 'utf8')).toBe('A');
    expect(await readdir(path.join(site, 'content/post'))).toEqual(['a.md']);
  });

  it('replaces a file by rename: a new inode, never a half-written file', async () => {
    await applyChanges(site, 'content/post', [create('a.md', 'old')]);
    const before = await stat(path.join(site, 'content/post/a.md'));
    await applyChanges(site, 'content/post', [update('a.md', 'new')]);
    const after = await stat(path.join(site, 'content/post/a.md'));
    expect(after.ino).not.toBe(before.ino);
    expect(await readFile(path.join(site, 'content/post/a.md'), 'utf8')).toBe('new');
  });

  it('refuses to write through a symlink at the target and reports it', async () => {
    const outside = path.join(site, '..', `${path.basename(site)}-outside.txt`);
    await writeFile(outside, 'precious');
    await mkdir(path.join(site, 'content/post'), { recursive: true });
    await symlink(outside, path.join(site, 'content/post/a.md'));
    const result = await applyChanges(site, 'content/post', [create('a.md', 'evil')]);
    expect(result.failed).toMatchObject([
      { relPath: 'content/post/a.md', reason: expect.stringMatching(/symbolic link/) },
    ]);
    expect(await readFile(outside, 'utf8')).toBe('precious');
  });

  it('refuses a content dir that is a symlink', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'dms-elsewhere-'));
    await mkdir(path.join(site, 'content'), { recursive: true });
    await symlink(elsewhere, path.join(site, 'content/post'));
    await expect(applyChanges(site, 'content/post', [create('a.md', 'x')])).rejects.toThrow(SyncRefusedError);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('removes stray temp files of an interrupted run', async () => {
    await mkdir(path.join(site, 'content/post'), { recursive: true });
    await writeFile(path.join(site, 'content/post/.dropmark-sync-a.md.abc.tmp'), 'half');
    await applyChanges(site, 'content/post', [], ['content/post/.dropmark-sync-a.md.abc.tmp']);
    expect(await readdir(path.join(site, 'content/post'))).toEqual([]);
  });

  it('deletes after writing, and a rename removes the old file', async () => {
    await applyChanges(site, 'content/post', [create('old.md', 'x'), create('gone.md', 'y')]);
    const result = await applyChanges(site, 'content/post', [
      update('new.md', 'x2', { renamedFrom: 'content/post/old.md' }),
      { kind: 'delete', relPath: 'content/post/gone.md', id: '2', before: 'y', title: '', link: '', editUrl: '' },
    ]);
    expect(result.deleted.sort()).toEqual(['content/post/gone.md', 'content/post/old.md']);
    expect(await readdir(path.join(site, 'content/post'))).toEqual(['new.md']);
  });
});

describe('file steps', () => {
  it('writes binary data as is', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x80]);
    await applyOps(site, [{ phase: 0, op: 'write', relPath: 'static/img/a.jpg', data: bytes }]);
    expect(await readFile(path.join(site, 'static/img/a.jpg'))).toEqual(bytes);
  });

  it('orders new images before posts, deletions after, and the state files last', () => {
    const ops = toFileOps(
      [
        { kind: 'delete', relPath: 'c/old.md', id: '1', before: '', title: '', link: '', editUrl: '' },
        { kind: 'create', relPath: 'c/new.md', text: 'x', id: '2', title: '', link: '', editUrl: '' },
      ],
      [
        { kind: 'delete', relPath: 'i/gone.jpg', size: 1 },
        { kind: 'create', relPath: 'i/new.jpg', staged: '/tmp/staged-new.jpg', size: 1 },
      ],
      [{ relPath: 'data/m.json', text: '{}' }],
    );
    expect(ops.map((o) => `${o.op} ${o.relPath}`)).toEqual([
      'move i/new.jpg',
      'write c/new.md',
      'delete c/old.md',
      'delete i/gone.jpg',
      'write data/m.json',
    ]);
  });

  it("a moved image's old name stays when its new one could not be written, and goes when it was", async () => {
    await mkdir(path.join(site, 'img'), { recursive: true });
    await writeFile(path.join(site, 'img/old-a.jpg'), 'A');
    await writeFile(path.join(site, 'img/old-b.jpg'), 'B');
    await writeFile(path.join(site, 'staged-b'), 'B');
    const result = await applyOps(site, [
      // The staged copy of a is gone: its move fails.
      { phase: 0, op: 'move', relPath: 'img/new-a.jpg', from: path.join(site, 'staged-a') },
      { phase: 0, op: 'move', relPath: 'img/new-b.jpg', from: path.join(site, 'staged-b') },
      { phase: 3, op: 'delete', relPath: 'img/old-a.jpg', unlessFailed: ['img/new-a.jpg'] },
      { phase: 3, op: 'delete', relPath: 'img/old-b.jpg', unlessFailed: ['img/new-b.jpg'] },
    ]);
    expect(result.failed.map((f) => f.relPath)).toEqual(['img/new-a.jpg']);
    expect(result.deleted).toEqual(['img/old-b.jpg']);
    expect((await readdir(path.join(site, 'img'))).sort()).toEqual(['new-b.jpg', 'old-a.jpg']);
  });

  it('stops between steps when asked, and says so', async () => {
    let asked = 0;
    const result = await applyOps(
      site,
      [
        { phase: 0, op: 'write', relPath: 'a/1.md', data: '1' },
        { phase: 1, op: 'write', relPath: 'a/2.md', data: '2' },
      ],
      { shouldStop: () => ++asked > 1 },
    );
    expect(result).toMatchObject({ written: ['a/1.md'], stopped: true });
  });
});

describe('a folder swapped for a symlink during the run', () => {
  it('refuses the run at the next step: nothing is written, renamed or left outside the site', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'dms-swap-outside-'));
    const ops: FileOp[] = Array.from({ length: 40 }, (_, i) => ({
      phase: 1,
      op: 'write',
      relPath: `c/p${i}.md`,
      data: `post ${i}`,
    }));
    let swapped = false;
    // The first temp file written, the folder is swapped before that write is renamed into place:
    // what an attacker with write access to the site does between two writes.
    const fs: WriteFs = {
      ...nodeFs,
      writeFile: (async (...args: Parameters<WriteFs['writeFile']>) => {
        await nodeFs.writeFile(...args);
        if (swapped) return;
        swapped = true;
        await rename(path.join(site, 'c'), path.join(site, 'c-moved'));
        await symlink(outside, path.join(site, 'c'));
      }) as WriteFs['writeFile'],
    };
    await expect(applyOps(site, ops, { fs })).rejects.toThrow(
      /changed during the sync \(replaced by a symbolic link\?\); refusing to write through it/,
    );
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('a new file never replaces one already there', () => {
  const NOT_CREATED =
    'a file of this name (or of one differing only in case) is already there, and a new file never ' +
    'replaces one; it is left alone, and the next sync gives the item another name';

  it("a person's file made after the folder was read: the create fails, the person's file is intact", async () => {
    // The listing saw no about.md; the person saves theirs while the sync runs, right before the new file lands.
    const about = path.join(site, 'content/post/about.md');
    const fs: WriteFs = {
      ...nodeFs,
      link: async (existing, name) => {
        if (name === about) await writeFile(about, 'mine');
        return nodeFs.link(existing, name);
      },
    };
    const result = await applyOps(site, toFileOps([create('about.md', 'tool'), create('other.md', 'tool')]), { fs });
    expect(result.failed).toEqual([{ relPath: 'content/post/about.md', reason: NOT_CREATED }]);
    expect(result.written).toEqual(['content/post/other.md']);
    expect(await readFile(path.join(site, 'content/post/about.md'), 'utf8')).toBe('mine');
    expect((await readdir(path.join(site, 'content/post'))).sort()).toEqual(['about.md', 'other.md']);
  });

  it('a rename onto a name now taken keeps both the old file and the one there', async () => {
    await applyChanges(site, 'content/post', [create('old.md', 'x')]);
    await writeFile(path.join(site, 'content/post/new.md'), 'mine');
    const result = await applyChanges(site, 'content/post', [
      update('new.md', 'x2', { renamedFrom: 'content/post/old.md' }),
    ]);
    expect(result).toMatchObject({ written: [], deleted: [], failed: [{ relPath: 'content/post/new.md' }] });
    expect(await readFile(path.join(site, 'content/post/new.md'), 'utf8')).toBe('mine');
    expect(await readFile(path.join(site, 'content/post/old.md'), 'utf8')).toBe('x');
  });

  const SYMLINK = 'is a symbolic link; it is never written through or removed';

  it('a symlink, even a dangling one, at a new name is not replaced either', async () => {
    await mkdir(path.join(site, 'content/post'), { recursive: true });
    await symlink(path.join(site, 'nowhere'), path.join(site, 'content/post/a.md'));
    const result = await applyChanges(site, 'content/post', [create('a.md', 'x')]);
    expect(result.failed).toEqual([
      { relPath: 'content/post/a.md', reason: `${path.join(site, 'content/post/a.md')} ${SYMLINK}` },
    ]);
    expect((await readdir(path.join(site, 'content/post'))).sort()).toEqual(['a.md']);
  });

  it('an update of the tool’s own file still replaces it', async () => {
    await applyChanges(site, 'content/post', [create('a.md', 'old')]);
    const result = await applyChanges(site, 'content/post', [update('a.md', 'new')]);
    expect(result).toMatchObject({ written: ['content/post/a.md'], failed: [] });
    expect(await readFile(path.join(site, 'content/post/a.md'), 'utf8')).toBe('new');
  });
});
