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

export interface TreeEntry {
  bytes: Buffer;
  ino: number;
  mtimeMs: number;
}

/**
 * Every file under `root` (relative paths) with its bytes, inode and mtime. Files that vanish
 * while it walks (a sync running beside it renames its temp files) are left out.
 */
export async function snapshotTree(
  root: string,
  exclude: (relPath: string) => boolean = () => false,
): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const gone = (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  };
  async function walk(dir: string) {
    for (const entry of (await readdir(dir, { withFileTypes: true }).catch(gone)) ?? []) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (exclude(rel)) continue;
      if (entry.isDirectory()) await walk(full);
      else {
        const [s, bytes] = await Promise.all([stat(full).catch(gone), readFile(full).catch(gone)]);
        if (s && bytes) out.set(rel, { bytes, ino: s.ino, mtimeMs: s.mtimeMs });
      }
    }
  }
  if (existsSync(root)) await walk(root);
  return out;
}

/** Just the contents, for comparing trees in different folders (inodes differ there). */
export function contents(tree: Map<string, TreeEntry>): Map<string, string> {
  return new Map([...tree].map(([rel, entry]) => [rel, entry.bytes.toString('base64')]));
}
