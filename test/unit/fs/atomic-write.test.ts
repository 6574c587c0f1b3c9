import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { moveIntoPlace, nodeFs, removeFile, writeFileAtomic, type WriteFs } from '../../../src/fs/atomic-write.js';
import { DropmarkSyncError, NameTakenError, SymlinkRefusedError } from '../../../src/errors.js';

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dms-atomic-'));
  outside = path.join(await mkdtemp(path.join(tmpdir(), 'dms-atomic-outside-')), 'target.md');
  await writeFile(outside, 'theirs');
  await symlink(outside, path.join(dir, 'post.md'));
});

describe('a symbolic link at the target', () => {
  it(
    'is refused by every kind of change with a SymlinkRefusedError, ' +
      'one of the tool errors, and the link target is untouched',
    async () => {
      const staged = path.join(dir, 'staged');
      await writeFile(staged, 'ours');
      for (const change of [
        () => writeFileAtomic(path.join(dir, 'post.md'), 'ours'),
        () => moveIntoPlace(staged, path.join(dir, 'post.md')),
        () => removeFile(path.join(dir, 'post.md')),
      ]) {
        const error = await change().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SymlinkRefusedError);
        // A refusal is told to the person as it is, never as "a bug in dropmark-sync".
        expect(error).toBeInstanceOf(DropmarkSyncError);
        expect((error as Error).name).toBe('SymlinkRefusedError');
        expect((error as Error).message).toBe(
          `${path.join(dir, 'post.md')} is a symbolic link; it is never written through or removed`,
        );
      }
      expect(await readFile(outside, 'utf8')).toBe('theirs');
      // The refused write left no temp file behind.
      expect((await readdir(dir)).sort()).toEqual(['post.md', 'staged']);
    },
  );
});

describe('creating a new file on a file system without hard links (FAT, some network shares)', () => {
  const noLinks: WriteFs = {
    ...nodeFs,
    link: async () => Promise.reject(Object.assign(new Error('EPERM: simulated'), { code: 'EPERM' })),
  };

  it('writes the file when its name is free, and leaves no temp file', async () => {
    await writeFileAtomic(path.join(dir, 'new.md'), 'ours', undefined, noLinks, 'create');
    expect(await readFile(path.join(dir, 'new.md'), 'utf8')).toBe('ours');
    expect((await readdir(dir)).sort()).toEqual(['new.md', 'post.md']);
  });

  it('still never replaces a file there: NameTakenError, and no temp file', async () => {
    await writeFile(path.join(dir, 'theirs.md'), 'theirs');
    const error = await writeFileAtomic(path.join(dir, 'theirs.md'), 'ours', undefined, noLinks, 'create').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NameTakenError);
    expect(await readFile(path.join(dir, 'theirs.md'), 'utf8')).toBe('theirs');
    expect((await readdir(dir)).sort()).toEqual(['post.md', 'theirs.md']);
  });
});
