import { execFile } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { silentLogger, type Logger } from '../log.js';

const run = promisify(execFile);

/**
 * A picture of the folders a sync owns (the content dir's Markdown files and, in image mode
 * local, the images folder), so a poll can tell that nobody changed the site since the last
 * sync (a hand edit, a `git checkout`, an image deleted by hand) without reading it.
 *
 * In a git work tree it is made of content, not of disk details: the blob id of each file, from
 * git's index for files that match it (no file is opened, by us or by git, in a fresh clone)
 * and hashed for the few that differ. So a fresh clone of the site (CI) plus the restored
 * cache matches, where inodes and mtimes never would. Elsewhere (no git, or the folders are
 * ignored by git, so git does not know their content): names, sizes, inodes and mtimes.
 */
export async function siteFingerprint(
  siteDir: string,
  contentDir: string,
  imageDir?: string,
  logger: Logger = silentLogger,
): Promise<string> {
  const dirs = imageDir === undefined ? [contentDir] : [contentDir, imageDir];
  const fromGit = !mayBeInGit(siteDir)
    ? undefined
    : await gitPicture(siteDir, dirs).catch((error: unknown) => {
        // Nothing wrong is concluded from it: the stat picture is as sure, it only does not match a fresh clone.
        logger.debug({ siteDir, err: error }, 'git could not picture the site; using names, sizes, inodes and mtimes');
        return undefined;
      });
  if (fromGit !== undefined) return `git:${sha256(fromGit)}`;
  const hash = createHash('sha256');
  await folderPicture(hash, path.join(siteDir, contentDir), (n) => n.endsWith('.md'));
  if (imageDir !== undefined) {
    hash.update('\0images\0');
    await folderPicture(hash, path.join(siteDir, imageDir), () => true);
  }
  return `stat:${hash.digest('hex')}`;
}

/**
 * Whether git could know the site: a `.git` in the site's folder or above it. Asking git itself
 * costs a process start (~30 ms) on every poll of a site outside git. (A work tree found only
 * through GIT_DIR gets the stat picture: as sure, only not the same in a fresh clone.)
 */
function mayBeInGit(siteDir: string): boolean {
  for (let dir = path.resolve(siteDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

const git = async (cwd: string, args: string[]) =>
  (await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 })).stdout;

/** `path\0blob` lines of the folders' direct files; undefined when git cannot speak for them. */
async function gitPicture(siteDir: string, dirs: readonly string[]): Promise<string | undefined> {
  const specs = dirs.map((d) => d.split(path.sep).join('/').replace(/\/+$/, ''));
  // Exit 1: nothing ignored (git knows the content); 0: some folder is ignored; 128: no work tree.
  const ignored = await run('git', ['check-ignore', '--', ...specs.map((d) => `${d}/`)], { cwd: siteDir }).then(
    () => true,
    (error: { code?: unknown }) => (error.code === 1 ? false : undefined),
  );
  if (ignored !== false) return undefined;
  const inFolders = (p: string) => specs.includes(path.posix.dirname(p));
  const blobs = new Map<string, string>();
  for (const entry of split(await git(siteDir, ['ls-files', '-z', '--stage', '--', ...specs]))) {
    // "<mode> <blob> <stage>\t<path>"
    const tab = entry.indexOf('\t');
    const file = entry.slice(tab + 1);
    if (inFolders(file)) blobs.set(file, entry.split(' ')[1] ?? '');
  }
  // Files whose working copy differs from the index, and untracked ones. `status` (unlike
  // `ls-files -m`) compares the content of "racily clean" files, edited within the second the
  // index was written; --no-optional-locks: it does not rewrite the user's index meanwhile.
  const changed = worktreeChanges(
    await git(siteDir, [
      '--no-optional-locks',
      'status',
      '--porcelain=v1',
      '-z',
      '--no-renames',
      '--untracked-files=all',
      '--',
      ...specs,
    ]),
  );
  const present = await existing(siteDir, [...new Set(changed)].filter(inFolders));
  for (const file of changed) if (!present.includes(file)) blobs.delete(file);
  if (present.length > 0) {
    const hashed = (await gitWithInput(siteDir, ['hash-object', '--stdin-paths'], present.join('\n')))
      .trim()
      .split('\n');
    for (const [i, file] of present.entries()) blobs.set(file, hashed[i] ?? '');
  }
  return [...blobs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, blob]) => `${file}\0${blob}\n`)
    .join('');
}

function gitWithInput(cwd: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

async function existing(siteDir: string, files: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    files.map((f) =>
      lstat(path.join(siteDir, f)).then(
        (s) => s.isFile(),
        (error: NodeJS.ErrnoException) => {
          // A file git lists as changed may be deleted meanwhile; any other failure ends the git picture.
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
          throw error;
        },
      ),
    ),
  );
  return files.filter((_, i) => found[i]);
}

/** Paths of `status --porcelain=v1 -z` entries ("XY path") whose working copy differs from the index, or untracked. */
function worktreeChanges(porcelain: string): string[] {
  return split(porcelain)
    .filter((entry) => entry[1] !== ' ' || entry.startsWith('??'))
    .map((entry) => entry.slice(3));
}

function split(text: string): string[] {
  return text.split('\0').filter((s) => s !== '');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The folder's names, sizes, inodes and mtimes into the hash. Numbers go in as bytes: turning
 * 30,000 of them into decimal text cost more than the stats themselves.
 */
async function folderPicture(hash: Hash, dir: string, include: (name: string) => boolean): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(include).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      hash.update('missing');
      return;
    }
    throw error;
  }
  // A plain loop of lstatSync: ~10 µs a file, where 10k asynchronous stats through libuv's four
  // threads took three times as long (bench/startup.ts, the 304 row). The pause it gives the
  // event loop is the time the answer takes anyway; nothing else waits on this pass.
  const numbers = new Float64Array(names.length * 3);
  for (const [i, name] of names.entries()) {
    const s = lstatSync(`${dir}${path.sep}${name}`);
    numbers[i * 3] = s.size;
    numbers[i * 3 + 1] = s.ino;
    numbers[i * 3 + 2] = s.mtimeMs;
  }
  hash.update(names.join('\0'));
  hash.update(new Uint8Array(numbers.buffer));
}
