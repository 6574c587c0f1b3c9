import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * How the tool opens a file of the site (a cloned site's files may be hostile) to read it: never through a
 * symbolic link (ELOOP instead), and never waiting forever for a writer on a FIFO planted at the name.
 */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Opens a file of the site for reading, never through a symlink. The caller closes it (a read stream does). */
export function openNoFollow(file: string): Promise<FileHandle> {
  return open(file, READ_NO_FOLLOW);
}

/**
 * A file of the site read whole, never through a symlink, with its stats. A FIFO, a device or a folder at the name
 * is refused with the code ENOTREG: it holds no text the tool wrote.
 */
export async function readNoFollow(file: string): Promise<{ text: string; stats: Stats }> {
  const handle = await openNoFollow(file);
  try {
    const stats = regularFile(file, await handle.stat());
    return { text: await handle.readFile('utf8'), stats };
  } finally {
    await handle.close();
  }
}

/**
 * readNoFollow in synchronous calls, for a pass that reads a whole folder one file after another (site/read.ts says
 * why); the same refusals.
 */
export function readNoFollowSync(file: string): { text: string; stats: Stats } {
  const fd = openSync(file, READ_NO_FOLLOW);
  try {
    const stats = regularFile(file, fstatSync(fd));
    return { text: readFileSync(fd, 'utf8'), stats };
  } finally {
    closeSync(fd);
  }
}

/** The stats of a regular file; anything else at the name (a FIFO, a device, a folder) is refused as ENOTREG. */
function regularFile(file: string, stats: Stats): Stats {
  if (stats.isFile()) return stats;
  throw Object.assign(new Error(`${file} is not a regular file; remove it`), { code: 'ENOTREG', path: file });
}
