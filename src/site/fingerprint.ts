import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * A cheap picture of the content dir (names, sizes, inodes, mtimes of its Markdown files;
 * no file is opened), so a poll can tell that nobody changed the site since the last sync
 * (a hand edit, a git checkout) without reading it.
 */
export async function siteFingerprint(siteDir: string, contentDir: string): Promise<string> {
  const dir = path.join(siteDir, contentDir);
  const hash = createHash('sha256');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
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
  for (const line of lines) hash.update(line);
  return hash.digest('hex');
}
