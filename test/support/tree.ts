import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FileState {
  text: string;
  ino: number;
  mtimeMs: number;
}

/** Every file directly in `dir` with its text, inode and mtime: equal snapshots mean nothing was touched. */
export async function snapshotDir(dir: string): Promise<Map<string, FileState>> {
  const out = new Map<string, FileState>();
  if (!existsSync(dir)) return out;
  for (const name of (await readdir(dir)).sort()) {
    const s = await stat(path.join(dir, name));
    out.set(name, { text: await readFile(path.join(dir, name), 'utf8'), ino: s.ino, mtimeMs: s.mtimeMs });
  }
  return out;
}
