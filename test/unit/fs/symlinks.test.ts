import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSymlinkOnPath } from '../../../src/fs/symlinks.js';

describe('findSymlinkOnPath', () => {
  it(
    'names the first symbolic link on the way down, ' + 'whatever the separator; nothing for real or missing folders',
    async () => {
      const site = await mkdtemp(path.join(tmpdir(), 'dms-symlinks-'));
      const outside = await mkdtemp(path.join(tmpdir(), 'dms-symlinks-outside-'));
      await mkdir(path.join(site, 'content', 'real'), { recursive: true });
      await symlink(outside, path.join(site, 'content', 'linked'));
      await mkdir(path.join(outside, 'deeper'));

      expect(await findSymlinkOnPath(site, 'content/real')).toBeUndefined();
      expect(await findSymlinkOnPath(site, 'content/not-yet/made')).toBeUndefined();
      expect(await findSymlinkOnPath(site, 'content/linked')).toBe(path.join(site, 'content', 'linked'));
      expect(await findSymlinkOnPath(site, 'content\\linked\\deeper')).toBe(path.join(site, 'content', 'linked'));
      expect(await findSymlinkOnPath(site, 'content//linked/deeper/')).toBe(path.join(site, 'content', 'linked'));
    },
  );
});
