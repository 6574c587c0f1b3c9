import { lstat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Refuses a folder that is, or lies under, a symbolic link inside the site dir: writes
 * there would land outside the site. Returns the first offending path, or undefined.
 * Low level on purpose: the site reader and the writers (apply, staging) both check with it.
 */
export async function findSymlinkOnPath(siteDir: string, relDir: string): Promise<string | undefined> {
  let current = siteDir;
  for (const part of relDir.split(/[\\/]+/).filter(Boolean)) {
    current = path.join(current, part);
    try {
      if ((await lstat(current)).isSymbolicLink()) return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  return undefined;
}
