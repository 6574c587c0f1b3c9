import { lstatSync } from 'node:fs';

/**
 * The numbers of the stat picture (site/fingerprint.ts), shared by the main thread and the worker that takes them for
 * a large folder (site/stat-worker.ts): this module imports nothing but node:fs, so the worker starts quickly.
 */

/** Size, inode, mtime and ctime: four numbers a file. */
const NUMBERS_PER_FILE = 4;

export const GONE_IS_UNDEFINED = { throwIfNoEntry: false } as const;

/**
 * Size, inode, mtime and ctime of the file at `file` into `numbers` at file `i`. The ctime too: an edit that keeps
 * the size and sets the mtime back (`touch -r`, a tool that restores times) still moves it, and no one can set it by
 * hand. A file removed since the listing (an editor's temp file) is written as gone (-1s), not a failure.
 */
function statInto(numbers: Float64Array, i: number, file: string | Buffer): void {
  const s = lstatSync(file, GONE_IS_UNDEFINED);
  const at = i * NUMBERS_PER_FILE;
  numbers[at] = s?.size ?? -1;
  numbers[at + 1] = s?.ino ?? -1;
  numbers[at + 2] = s?.mtimeMs ?? -1;
  numbers[at + 3] = s?.ctimeMs ?? -1;
}

/**
 * The numbers of every `folder + name` (latin1 names), to be filled in: `stat(name, i)` fills file i's. The worker
 * calls it for every name at once (statNumbersNow), the main thread a thousand a turn (site/fingerprint.ts).
 */
export function statTable(
  folder: string,
  names: readonly string[],
): { numbers: Float64Array<ArrayBuffer>; stat: (name: string, i: number) => void } {
  const pathOf = pathMaker(folder, names);
  const numbers = new Float64Array(names.length * NUMBERS_PER_FILE);
  return { numbers, stat: (name, i) => statInto(numbers, i, pathOf(name)) };
}

/** The numbers of every `folder + name`, in one go: what the worker does. */
export function statNumbersNow(folder: string, names: readonly string[]): Float64Array<ArrayBuffer> {
  const { numbers, stat } = statTable(folder, names);
  for (const [i, name] of names.entries()) stat(name, i);
  return numbers;
}

/** A byte of a name that is not ASCII: the name's latin1 string is then not its path's text. */
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * How each name's path is handed to lstat. Names all ASCII (the tool's own file names are): a string, whose bytes
 * are the name's (Node's path checks cost less on a string than on a Buffer: ~10 ms of 10k stats). Otherwise each
 * path is written into one reused buffer, byte for byte as listed.
 */
function pathMaker(folder: string, names: readonly string[]): (name: string) => string | Buffer {
  if (!names.some((name) => NOT_ASCII.test(name))) return (name) => folder + name;
  const start = Buffer.byteLength(folder);
  const file = Buffer.alloc(start + names.reduce((longest, n) => Math.max(longest, n.length), 0));
  file.write(folder);
  return (name) => file.subarray(0, start + file.write(name, start, 'latin1'));
}
