import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { SyncRefusedError } from '../errors.js';
import { findSymlinkOnPath } from './symlinks.js';
import { tempNameFor, trackTemp, untrackTemp } from './atomic-write.js';

/**
 * Where downloads are streamed while a sync runs, so an image is never held in memory: hidden
 * temp files beside their targets (a rename then puts them in place atomically). Whatever is
 * not moved into place is removed by `close()`; a hard exit removes them through the temp-file
 * exit hook, and after SIGKILL the next run's stray-temp cleanup does.
 */
export interface Staging {
  create(): { path: string; stream: Writable };
  discard(path: string): Promise<void>;
  /** Removes every staged file not moved into place. */
  close(): Promise<void>;
}

/** Staging in a site folder (a real run): the folder is checked for symlinks and created. */
export async function stageInSite(siteDir: string, relDir: string): Promise<Staging> {
  const linked = await findSymlinkOnPath(siteDir, relDir);
  if (linked)
    throw new SyncRefusedError(
      `${linked} is a symbolic link; refusing to write through it. Replace it with a real folder`,
    );
  return staging(path.join(siteDir, relDir));
}

function staging(dir: string): Staging {
  const staged = new Set<string>();
  let made = false;
  const discard = async (file: string) => {
    staged.delete(file);
    untrackTemp(file);
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  };
  return {
    create() {
      // Made on the first download only: a sync with nothing to download leaves no empty folder.
      if (!made) {
        mkdirSync(dir, { recursive: true });
        made = true;
      }
      const file = tempNameFor(path.join(dir, 'image'));
      trackTemp(file);
      staged.add(file);
      // 'wx': O_EXCL, so a symlink planted at this name is never followed.
      return { path: file, stream: createWriteStream(file, { flags: 'wx', mode: 0o644 }) };
    },
    discard,
    async close() {
      await Promise.all([...staged].map(discard));
    },
  };
}
