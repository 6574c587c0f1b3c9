import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, renameSync, type Stats, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NameTakenError, SymlinkRefusedError } from '../errors.js';

/**
 * Temp files of the tool's writes: hidden and not `.md` (no generator takes them for pages); a later run removes
 * strays.
 */
export const TEMP_PREFIX = '.dropmark-sync-';
export const TEMP_SUFFIX = '.tmp';

/** The file system calls the writes make; tests pass one that fails like a full or read-only disk. */
export interface WriteFs {
  writeFile(file: string, data: string | Buffer, options: { flag: string; mode: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, name: string): Promise<void>;
  unlink(file: string): Promise<void>;
  lstat(file: string): Promise<Stats>;
}

/**
 * node:fs's synchronous calls behind the promise interface. A post is a few kB: the system call
 * takes less than a trip through the thread pool, and writers in one folder from several pool
 * threads contend for the folder's lock (bench/write-calls.ts: 10,000 new posts, 1.1-1.5x the
 * floor's time this way, 1.7-4x through the pool, 16 at a time). The apply step gives the event
 * loop a turn between batches (apply/apply.ts), so a stop signal or a timer is not kept waiting.
 */
export const nodeFs: WriteFs = {
  writeFile: (file, data, options) => asPromise(() => writeFileSync(file, data, options)),
  rename: (from, to) => asPromise(() => renameSync(from, to)),
  link: (existing, name) => asPromise(() => linkSync(existing, name)),
  unlink: (file) => asPromise(() => unlinkSync(file)),
  lstat: (file) => asPromise(() => lstatSync(file)),
};

/** A synchronous call's outcome as a promise: its value, or its error as the rejection. */
export function asPromise<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

// Temp names: unique within the process by a counter, across processes by pid and a random tag.
let tempTag: string | undefined;
const tag = () => (tempTag ??= `${process.pid}-${randomBytes(4).toString('hex')}`);
let tempCounter = 0;

/** A temp name beside `file`, ours by prefix and suffix (a later run removes it if we die). */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `${TEMP_PREFIX}${path.basename(file)}.${tag()}-${tempCounter++}${TEMP_SUFFIX}`);
}

/** Forgets a temp file that was moved away or removed. */
export function untrackTemp(temp: string): void {
  inFlight.delete(temp);
}

/**
 * Writes `data` to `file` so that a crash leaves the old file or the new one, never a half:
 * a temp file in the same folder (created exclusively, so a planted link at that name is
 * not followed) is renamed over the target. A symlink at the target is refused, not
 * written through. `create`: the file is new, and whatever stands at its name is never
 * replaced (NameTakenError); the complete temp file is linked to the name, which fails on
 * anything there, then its temp name is removed.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  beforeCommit?: () => Promise<void>,
  fs: WriteFs = nodeFs,
  how: 'replace' | 'create' = 'replace',
): Promise<void> {
  if (abandoned) throw new Error('the process is exiting; nothing more is written');
  const temp = tempNameFor(file);
  trackTemp(temp);
  let left = false;
  try {
    // 'wx' = O_CREAT | O_EXCL: fails on anything already there, a planted symlink included.
    await settled(fs.writeFile(temp, data, { flag: 'wx', mode: 0o644 }));
    await beforeCommit?.();
    if (how === 'create') {
      await createOnly(temp, file, fs);
      // The temp name is a second name of the new file now. One that cannot be removed stays registered: the
      // exit hook tries again, and the next run removes it as a stray (ours by name).
      left = await fs.unlink(temp).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
      );
      return;
    }
    await refuseSymlink(file, fs);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch((cleanup: NodeJS.ErrnoException) => {
      // ENOENT: the write failed before the temp existed. Any other failure must not hide the
      // write's own error: the temp stays registered, so the exit hook tries again, and the next
      // run removes it as a stray (ours by name).
      if (cleanup.code !== 'ENOENT') left = true;
    });
    throw error;
  } finally {
    if (!left) inFlight.delete(temp);
  }
}

/**
 * Temp files being written right now. A process that exits at once (a second Ctrl-C)
 * removes them on its way out, so not even a hidden half-written file stays behind; after
 * SIGKILL the next run removes them.
 */
const inFlight = new Set<string>();
let exitHookInstalled = false;
/** Temp file creations the system is still doing: an exit before they end could leave their file behind. */
const creating = new Set<Promise<unknown>>();
let abandoned = false;

function settled<T>(creation: Promise<T>): Promise<T> {
  creating.add(creation);
  return creation.finally(() => creating.delete(creation));
}

/**
 * Before an immediate exit (a second Ctrl-C): no write starts any more, and the temp files
 * being created are given up to `waitMs` to exist, so the exit hook can remove them. A file
 * the system creates after the process has gone would otherwise stay (until the next run).
 */
export async function abandonWrites(waitMs: number): Promise<void> {
  abandoned = true;
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([Promise.allSettled([...creating]), cap]);
  clearTimeout(timer);
}

export function trackTemp(temp: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const t of inFlight) {
        try {
          unlinkSync(t);
        } catch {
          // not created yet, or already renamed
        }
      }
    });
  }
  inFlight.add(temp);
}

/** Codes of a link() the file system cannot make at all (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Gives the complete temp file the name `file` unless something stands there. link() fails on
 * any entry at the name (a file, a folder, a symlink, a name differing only in case on a
 * case-insensitive file system), atomically; Node has no rename without replace. Where the file
 * system has no hard links, a look then a rename: only the instant between the two is open.
 */
async function createOnly(temp: string, file: string, fs: WriteFs): Promise<void> {
  try {
    await fs.link(temp, file);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      await refuseSymlink(file, fs);
      throw nameTaken(file);
    }
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
  }
  const there = await fs.lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (there) throw nameTaken(file);
  await fs.rename(temp, file);
}

/** Said with the file's path (the failure's own), so the message does not repeat it. */
function nameTaken(file: string): NameTakenError {
  return new NameTakenError(
    'a file of this name (or of one differing only in case) is already there, and a new file never ' +
      'replaces one; it is left alone, and the next sync gives the item another name',
    { file },
  );
}

/** Moves a file staged beside its target into place (a rename: atomic); a symlink at the target is refused. */
export async function moveIntoPlace(staged: string, file: string, fs: WriteFs = nodeFs): Promise<void> {
  await refuseSymlink(file, fs);
  await fs.rename(staged, file);
  inFlight.delete(staged);
}

/** Removes a file; a symlink there is refused (it is not ours to remove). */
export async function removeFile(file: string, fs: WriteFs = nodeFs): Promise<void> {
  await refuseSymlink(file, fs);
  await fs.unlink(file);
}

async function refuseSymlink(file: string, fs: WriteFs): Promise<void> {
  try {
    if ((await fs.lstat(file)).isSymbolicLink()) {
      throw new SymlinkRefusedError(`${file} is a symbolic link; it is never written through or removed`, { file });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
