import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { CollectionConfig, Config } from '../config/schema.js';
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
  { onWorker = true }: { onWorker?: boolean } = {},
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
  const folders: StatFolder[] = [{ dir: path.join(siteDir, contentDir), markdownOnly: true, prefix: '' }];
  if (imageDir !== undefined)
    folders.push({ dir: path.join(siteDir, imageDir), markdownOnly: false, prefix: '\0images\0' });
  return `stat:${await statPicture(folders, onWorker)}`;
}

/**
 * A collection's fingerprint: its Markdown files and, in image mode local, the images it owns
 * (an image deleted by hand must be noticed like a post edited by hand).
 */
export function collectionFingerprint(
  siteDir: string,
  collection: CollectionConfig,
  logger: Logger = silentLogger,
  options: { onWorker?: boolean } = {},
): Promise<string> {
  const imageDir = collection.images.mode === 'local' ? collection.images.dir : undefined;
  return siteFingerprint(siteDir, collection.contentDir, imageDir, logger, options);
}

/** Hands out a collection's fingerprint taken ahead, once; undefined when there is none. */
export type EarlyFingerprints = (collection: CollectionConfig) => Promise<string> | undefined;

/**
 * Starts every collection's fingerprint now. The CLI calls it before loading the sync's code:
 * a poll of an unchanged feed then waits for the picture and the code together, not in turn
 * (bench/RESULTS.md, the 304 row). Each is handed out once, as the site before the run; one
 * after the run's writes is taken anew. Taken before the lock, a picture may catch another
 * run's writes half done; it then matches no cache, and the cost is a full pass.
 */
export function fingerprintsAhead(config: Pick<Config, 'siteDir' | 'collections'>, logger: Logger): EarlyFingerprints {
  const started = new Map(
    config.collections.map((collection) => {
      const picture = collectionFingerprint(config.siteDir, collection, logger);
      // A picture the run never asks for (no cache yet, the lock held) is not needed; its failure is logged anyway.
      picture.catch((error: unknown) =>
        logger.debug({ contentDir: collection.contentDir, err: error }, "taking the site's picture ahead failed"),
      );
      return [collection, picture] as const;
    }),
  );
  return (collection) => {
    const picture = started.get(collection);
    started.delete(collection);
    return picture;
  };
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

/** A folder of the stat picture: its files' names, sizes, inodes and mtimes go into the hash after `prefix`. */
interface StatFolder {
  dir: string;
  markdownOnly: boolean;
  prefix: string;
}

/**
 * The stat picture's hash. On a worker thread where the picture runs beside other work (a
 * poll's picture is started while its own code loads and its request is out: 10,000 stats are
 * ~100 ms of synchronous calls, and the two then share the machine's cores instead of taking
 * turns); on this thread where nothing else would run meanwhile (after a pass's writes), as a
 * worker's start (~30 ms) would only add to it.
 */
function statPicture(folders: readonly StatFolder[], onWorker: boolean): Promise<string> {
  if (!onWorker) return Promise.resolve(hashFolders(folders, { lstatSync, readdirSync }, createHash, path.sep));
  return new Promise((resolve, reject) => {
    const worker = new Worker(STAT_WORKER, { eval: true, workerData: { folders, sep: path.sep } });
    worker.once('message', (answer: { digest: string } | { error: { message: string; code?: string } }) => {
      if ('digest' in answer) resolve(answer.digest);
      else reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
    });
    worker.once('error', reject);
    // After its answer this changes nothing; without one (the thread killed), the poll must not hang.
    worker.once('exit', (code) =>
      reject(new Error(`the site picture's worker thread ended (exit code ${code}) without an answer`)),
    );
  });
}

/**
 * The hash of the folders' pictures. Self-contained (everything it uses comes in as an argument),
 * as its source text is also the worker's script. A missing folder is hashed as the word
 * "missing"; any other failure to read one is thrown. A plain loop of lstatSync: 10k
 * asynchronous stats through libuv's four threads took three times as long. Numbers go into
 * the hash as bytes: turning 30,000 of them into decimal text cost more than the stats themselves.
 */
function hashFolders(
  folders: readonly StatFolder[],
  fs: { lstatSync: typeof lstatSync; readdirSync: typeof readdirSync },
  sha256Hash: typeof createHash,
  sep: string,
): string {
  const hash = sha256Hash('sha256');
  for (const { dir, markdownOnly, prefix } of folders) {
    hash.update(prefix);
    let names: string[];
    try {
      names = fs
        .readdirSync(dir)
        .filter((n) => !markdownOnly || n.endsWith('.md'))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hash.update('missing');
      continue;
    }
    const numbers = new Float64Array(names.length * 3);
    for (let i = 0; i < names.length; i++) {
      const s = fs.lstatSync(dir + sep + names[i]);
      numbers[i * 3] = s.size;
      numbers[i * 3 + 1] = s.ino;
      numbers[i * 3 + 2] = s.mtimeMs;
    }
    hash.update(names.join('\0'));
    hash.update(new Uint8Array(numbers.buffer));
  }
  return hash.digest('hex');
}

const STAT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
try {
  const digest = (${hashFolders.toString()})(
    workerData.folders, require('node:fs'), require('node:crypto').createHash, workerData.sep);
  parentPort.postMessage({ digest });
} catch (error) {
  parentPort.postMessage({ error: { message: error.message, code: error.code } });
}
`;
