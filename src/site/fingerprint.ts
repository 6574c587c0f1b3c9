import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * A cheap picture of the folders a sync owns (names, sizes, inodes, mtimes; no file is
 * opened): the content dir's Markdown files and, in image mode local, every file of the
 * images dir. A poll compares it with the picture taken after the last sync to tell that
 * nobody changed the site since (a hand edit, a git checkout, an image deleted by hand)
 * without reading it.
 */
export async function siteFingerprint(siteDir: string, contentDir: string, imageDir?: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await folderPicture(path.join(siteDir, contentDir), (n) => n.endsWith('.md')));
  if (imageDir !== undefined) hash.update(`\0images\0${await folderPicture(path.join(siteDir, imageDir), () => true)}`);
  return hash.digest('hex');
}

async function folderPicture(dir: string, include: (name: string) => boolean): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(include).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  // Many stats in flight at once: one after the other, 100k of them take seconds of waiting.
  const lines: string[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      const name = names[i] as string;
      const s = await lstat(path.join(dir, name));
      lines[i] = `${name}\0${s.size}\0${s.ino}\0${s.mtimeMs}\n`;
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, names.length) }, worker));
  return lines.join('');
}
