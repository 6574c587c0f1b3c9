import { createHash } from 'node:crypto';
import { type Dirent, existsSync, lstatSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { eachInTurns } from '../fs/in-turns.js';
import type { CollectionConfig } from '../config/schema.js';
import type { Env } from '../env.js';
import { silentLogger, type Logger } from '../log.js';
import {
  dotGitsAbove,
  findGit,
  foldersDown,
  gitFilesProblem,
  runGit,
  siteRepository,
  unsafeRepositoryConfig,
} from './git.js';
import { GONE_IS_UNDEFINED, statTable } from './stat-numbers.js';

/** What taking a picture needs: the environment git is found and started with, and a logger for why it was not. */
export interface FingerprintDeps {
  env: Env;
  logger?: Logger;
  /** This thread has other work meanwhile (a whole feed to read): a large folder's stats go to a worker thread. */
  offThread?: boolean;
}

/**
 * A picture of the folders a sync owns (the content dir's Markdown files and, in image mode
 * local, the images folder), so a poll can tell that nobody changed the site since the last
 * sync (a hand edit, a `git checkout`, an image deleted by hand) without reading it.
 *
 * In a git work tree it is made of content, not of disk details: the blob id of each file, from
 * git's index for files that match it (no file is opened, by us or by git, in a fresh clone)
 * and hashed for the few that differ. So a fresh clone of the site (CI) plus the restored
 * cache matches, where inodes and mtimes never would. Elsewhere (no git; git not to be run there,
 * safeGit; git unable to speak for every owned file, gitPicture): names, sizes, inodes, mtimes and
 * ctimes.
 */
export async function siteFingerprint(
  siteDir: string,
  contentDir: string,
  mediaDirs: string | readonly string[] | undefined,
  deps: FingerprintDeps,
): Promise<string> {
  const logger = deps.logger ?? silentLogger;
  const media = mediaDirs === undefined ? [] : typeof mediaDirs === 'string' ? [mediaDirs] : [...mediaDirs];
  const dirs = [contentDir, ...media];
  // A `.git` in the site's folder or above it; asking git itself would cost a process start
  // (~30 ms) on every poll of a site outside git. (A work tree found only through GIT_DIR gets
  // the stat picture: git never gets that variable.)
  const dotGits = dotGitsAbove(siteDir);
  const fromGit =
    dotGits.length === 0
      ? undefined
      : await safeGit(siteDir, deps.env, logger)
          .then((git) => git && gitPicture(siteDir, dirs, git, logger))
          .catch((error: unknown) => {
            // Nothing wrong is concluded from it: the stat picture is as sure, it only does not match a fresh clone.
            logger.debug(
              { siteDir, err: error },
              'git could not picture the site; using names, sizes, inodes and times',
            );
            return undefined;
          });
  if (fromGit !== undefined) return `git:${sha256(fromGit)}`;
  const folders: StatFolder[] = [{ dir: path.join(siteDir, contentDir), markdownOnly: true, prefix: '' }];
  // The first media folder keeps the images' prefix: a site's picture is the same as before files were mirrored.
  media.forEach((dir, i) => {
    folders.push({
      dir: path.join(siteDir, dir),
      markdownOnly: false,
      prefix: i === 0 ? '\0images\0' : `\0media${i}\0`,
    });
  });
  return `stat:${await statPicture(folders, { log: logger, offThread: deps.offThread === true })}`;
}

/**
 * A collection's fingerprint: its Markdown files and, in mode local, the images and uploaded
 * files it owns (one deleted by hand must be noticed like a post edited by hand).
 */
export function collectionFingerprint(
  siteDir: string,
  collection: CollectionConfig,
  deps: FingerprintDeps,
): Promise<string> {
  const media = [
    ...(collection.images.mode === 'local' ? [collection.images.dir] : []),
    ...(collection.files.mode === 'local' ? [collection.files.dir] : []),
  ];
  return siteFingerprint(siteDir, collection.contentDir, media, deps);
}

/** git run in the site's folder; the site's folder from the work tree's top ("site/", or ""); that top. */
interface Git {
  run: (args: string[], input?: string) => Promise<string>;
  prefix: string;
  top: string;
  /** The repository's folder and its common folder (a linked worktree's own, and the repository's). */
  repositoryDirs: string[];
}

/**
 * The files whose working copy differs from the index, untracked or ignored. `status` (unlike
 * `ls-files -m`) compares the content of "racily clean" files, edited within the second the
 * index was written; --no-optional-locks: it does not rewrite the user's index meanwhile;
 * --ignore-submodules: a submodule's status is a git run with that repository's own config.
 */
const STATUS = [
  '--no-optional-locks',
  'status',
  '--porcelain=v1',
  '-z',
  '--no-renames',
  '--untracked-files=all',
  '--ignored=matching',
  '--ignore-submodules=all',
];

/**
 * git in the site's folder, or undefined (said at debug level) when it is not to be used there:
 * not in an absolute folder of PATH, the site's folder outside the repository's work tree
 * (`core.worktree`), or the repository's own config could make it run a program.
 */
async function safeGit(siteDir: string, env: Env, logger: Logger): Promise<Git | undefined> {
  const program = findGit(env);
  const repository = program === undefined ? undefined : await siteRepository(program, siteDir, env);
  const why =
    program === undefined || repository === undefined
      ? 'git is not in an absolute folder of PATH'
      : !repository.inWorkTree
        ? "the site's folder is not in its repository's work tree (core.worktree names another)"
        : await unsafeRepositoryConfig(repository.dirs);
  if (program !== undefined && repository !== undefined && why === undefined) {
    const { prefix, dirs } = repository;
    // The work tree's top: the site's real folder, up as many folders as the prefix names.
    const top = path.resolve(
      await realpath(siteDir),
      ...prefix
        .split('/')
        .filter(Boolean)
        .map(() => '..'),
    );
    return { run: (args, input) => runGit(program, siteDir, env, args, input), prefix, top, repositoryDirs: dirs };
  }
  logger.debug({ siteDir, why }, 'git is not used for this site; using names, sizes, inodes and times');
  return undefined;
}

/**
 * `path\0blob` lines of the folders' direct files; undefined (said at debug level) when git cannot speak for them:
 * - a folder git ignores (or one above it), or a file in them that it ignores and does not track (a `.gitignore`
 *   such as `content/post/*.md` or `*.jpg`): git lists no change to such a file;
 * - a file its index tells it not to look at (`update-index --assume-unchanged` or `--skip-worktree`);
 * - a folder in a repository of its own (an embedded repository, a submodule): the site's repository sees none of
 *   its files; an owned file on disk that git neither tracks nor lists (blindSpot);
 * - git's own files that would mislead or hang it (gitFilesProblem), or a `.gitattributes` on its way that is in the
 *   index and not on disk (git reads that one from the index);
 * - a changed file whose name has a line break (hash-object reads one name a line).
 * An edit or a deletion of such a file would go unseen.
 */
async function gitPicture(
  siteDir: string,
  dirs: readonly string[],
  git: Git,
  log: Logger,
): Promise<string | undefined> {
  const specs = dirs.map(normalFolder);
  const unseen = (why: string) => {
    log.debug({ siteDir, why }, 'git cannot see every file the sync owns; using names, sizes, inodes and times');
    return undefined;
  };
  const nested = nestedRepository(siteDir, specs);
  if (nested !== undefined) return unseen(`${nested} is a repository of its own`);
  // Each owned folder listed once: for git's files below it, the files git must account for, those still there.
  const listed = await listOwned(siteDir, specs);
  const owned = listed.map(({ spec, entries }) => ({ folder: `${git.prefix}${spec}`, entries }));
  const files = await gitFilesProblem(git.top, owned, git.repositoryDirs);
  if (files !== undefined) return unseen(files);
  const { staged, status } = await listGit(git, specs);
  // git takes the attributes of a `.gitattributes` missing on disk from the index, where gitFilesProblem cannot look.
  const gone = staged.find(
    (e) =>
      path.posix.basename(e.file) === '.gitattributes' &&
      !lstatSync(path.resolve(git.top, git.prefix, e.file), GONE_IS_UNDEFINED),
  );
  if (gone !== undefined) return unseen(`${gone.file} is in git's index, not on disk`);
  const folders = ownedFolders(specs);
  const listing = { index: staged.filter((e) => folders.holds(e.file)), status };
  const blind = blindSpot(listing, folders, ownedOnDisk(listed));
  if (blind !== undefined) return unseen(blind);
  const blobs = new Map(listing.index.map((e) => [e.file, e.blob]));
  const changed = listing.status
    .filter((e) => e.code !== '!!' && (e.code[1] !== ' ' || e.code === '??'))
    .map((e) => e.file);
  // What git lists as changed and is a file on disk (as listed above) is hashed; the rest of it is gone.
  const regular = regularFiles(listed);
  const present = [...new Set(changed)].filter((file) => folders.holds(file) && regular.has(file));
  for (const file of changed) if (!regular.has(file)) blobs.delete(file);
  // One name a line: a name with a line break in it cannot be handed over.
  const broken = present.find((file) => file.includes('\n'));
  if (broken !== undefined) return unseen(`${JSON.stringify(broken)} has a line break in its name`);
  for (const [file, blob] of await hashed(siteDir, git, present)) blobs.set(file, blob);
  return [...blobs]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, blob]) => `${file}\0${blob}\n`)
    .join('');
}

/**
 * The index's entries of the owned folders and of the `.gitattributes` on git's way to them, and the files whose
 * working copy differs from the index: both asked at once.
 */
async function listGit(git: Git, specs: readonly string[]): Promise<{ staged: IndexEntry[]; status: StatusEntry[] }> {
  const attributes = new Set(
    specs.flatMap((spec) =>
      foldersDown(`${git.prefix}${spec}`).map((dir) => `:(top,literal)${path.posix.join(dir, '.gitattributes')}`),
    ),
  );
  const [staged, status] = await Promise.all([
    git.run(['ls-files', '-z', '--stage', '-v', '--', ...specs, ...attributes]),
    git.run([...STATUS, '--', ...specs]),
  ]);
  return { staged: indexEntries(staged), status: statusEntries(status, git.prefix) };
}

/** A folder of the config as git names paths: `/`, no `.` or empty part, no trailing `/` ("." for the site's own). */
function normalFolder(dir: string): string {
  return path.posix.normalize(dir.split(path.sep).join('/')).replace(/\/+$/, '') || '.';
}

interface GitListing {
  index: IndexEntry[];
  status: StatusEntry[];
}

/**
 * Why git cannot speak for what the sync owns, or undefined: it ignores some of it; its index marks a file it does not
 * look at, or a submodule; or a file on disk that it neither tracks nor lists (inside a submodule that was never
 * checked out, say).
 */
function blindSpot(listing: GitListing, folders: OwnedFolders, onDisk: readonly string[]): string | undefined {
  const ignored = listing.status.filter((e) => e.code === '!!' && folders.owns(e.file)).map((e) => e.file);
  if (ignored.length > 0) return `git ignores ${ignored.slice(0, 5).join(', ')}`;
  const hidden = listing.index.filter((e) => e.tag !== 'H' || e.mode === GITLINK).map((e) => e.file);
  if (hidden.length > 0) return `git's index does not look at ${hidden.slice(0, 5).join(', ')}`;
  const known = new Set([...listing.index.map((e) => e.file), ...listing.status.map((e) => e.file)]);
  const unknown = onDisk.filter((file) => !known.has(file));
  if (unknown.length > 0) return `git does not see ${unknown.slice(0, 5).join(', ')}`;
  return undefined;
}

/** An owned folder's direct entries (none when it is missing), `spec` as the picture names it. */
interface OwnedFolderListing {
  spec: string;
  entries: Dirent[];
}

async function listOwned(siteDir: string, specs: readonly string[]): Promise<OwnedFolderListing[]> {
  return Promise.all(
    specs.map(async (spec) => {
      try {
        return { spec, entries: await readdir(path.join(siteDir, spec), { withFileTypes: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { spec, entries: [] };
        throw error;
      }
    }),
  );
}

/** The site-relative path of an entry of an owned folder. */
const pathIn = (spec: string, name: string) => (spec === '.' ? name : `${spec}/${name}`);

/** What the sync owns on disk, from the site's folder: the content folder's Markdown files, the others' files. */
function ownedOnDisk(listed: readonly OwnedFolderListing[]): string[] {
  return listed.flatMap(({ spec, entries }, i) =>
    entries
      .filter((entry) => !entry.isDirectory() && (i > 0 || entry.name.endsWith('.md')))
      .map((entry) => pathIn(spec, entry.name)),
  );
}

/** The regular files of the owned folders, from the site's folder. */
function regularFiles(listed: readonly OwnedFolderListing[]): Set<string> {
  return new Set(
    listed.flatMap(({ spec, entries }) => entries.filter((e) => e.isFile()).map((e) => pathIn(spec, e.name))),
  );
}

/**
 * The blob ids of files as they are on disk. Their paths go to git whole: `--stdin-paths` reads a relative path from
 * the work tree's top, not from the folder git runs in. --no-filters: a filter driver is a program (git.ts); the bytes
 * on disk picture the file as well.
 */
async function hashed(siteDir: string, git: Git, files: readonly string[]): Promise<[string, string][]> {
  if (files.length === 0) return [];
  const paths = files.map((file) => path.resolve(siteDir, file)).join('\n');
  const ids = (await git.run(['hash-object', '--no-filters', '--stdin-paths'], paths)).trim().split('\n');
  return files.map((file, i) => [file, ids[i] ?? '']);
}

/** A submodule's (or an embedded repository's) entry in the index. */
const GITLINK = '160000';

/**
 * What the sync owns among the paths git names (from the site's folder): `holds` a direct file of one of its folders;
 * `owns` one of those (in the content folder, a Markdown file), or a folder that is one of them or above one
 * (an ignored folder is listed with a final "/").
 */
interface OwnedFolders {
  holds: (file: string) => boolean;
  owns: (file: string) => boolean;
}

function ownedFolders(specs: readonly string[]): OwnedFolders {
  const holds = (p: string) => specs.includes(path.posix.dirname(p));
  const owns = (p: string) =>
    p.endsWith('/') || p === ''
      ? specs.some((d) => `${d}/`.startsWith(p))
      : holds(p) && (path.posix.dirname(p) !== specs[0] || p.endsWith('.md'));
  return { holds, owns };
}

/** The first folder from the site's down to one of `specs` that holds a `.git` of its own, or undefined. */
function nestedRepository(siteDir: string, specs: readonly string[]): string | undefined {
  for (const spec of specs.filter((s) => s !== '.')) {
    const parts = spec.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (existsSync(path.join(siteDir, folder, '.git'))) return folder;
    }
  }
  return undefined;
}

/** `ls-files --stage -v` entries: "<tag> <mode> <blob> <stage>\t<path>", the tag "H" for a file git looks at. */
interface IndexEntry {
  tag: string;
  mode: string;
  blob: string;
  file: string;
}

function indexEntries(listing: string): IndexEntry[] {
  return split(listing).map((entry) => {
    const tab = entry.indexOf('\t');
    const [tag = '', mode = '', blob = ''] = entry.slice(0, tab).split(' ');
    return { tag, mode, blob, file: entry.slice(tab + 1) };
  });
}

/**
 * `status --porcelain=v1 -z` entries ("XY path"), their paths from the site's folder: git names them from the work
 * tree's top (`prefix` is the site's folder from there), where `ls-files` names them from the site's folder. An
 * ignored folder above the site's own is named "" (it holds every folder of the site).
 */
interface StatusEntry {
  code: string;
  file: string;
}

function statusEntries(porcelain: string, prefix: string): StatusEntry[] {
  const entries: StatusEntry[] = [];
  for (const entry of split(porcelain)) {
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (file.startsWith(prefix)) entries.push({ code, file: file.slice(prefix.length) });
    else if (file.endsWith('/') && prefix.startsWith(file)) entries.push({ code, file: '' });
  }
  return entries;
}

function split(text: string): string[] {
  return text.split('\0').filter((s) => s !== '');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A folder of the stat picture: its files' names, sizes, inodes and times go into the hash after `prefix`. */
interface StatFolder {
  dir: string;
  markdownOnly: boolean;
  prefix: string;
}

/** Stats between two turns of the event loop. */
const STATS_PER_TURN = 1000;

/**
 * The folders' names, sizes, inodes, mtimes and ctimes, hashed. A missing folder is hashed as the word
 * "missing"; any other failure to read one is thrown. The stats are lstatSync calls (~7 µs
 * each; 10k asynchronous ones through libuv's four threads took three times as long), a
 * thousand a turn: the poll's request is out meanwhile (sync/feed-stage.ts), and its answer and
 * TLS work are handled between the turns, so the two overlap; a large folder's stats are taken
 * by a worker thread instead (statNumbers). Numbers go into the hash as bytes: turning 30,000 of
 * them into decimal text cost more than the stats themselves.
 *
 * Names are read as latin1: one character per byte, so a name that is not UTF-8 is a file like
 * any other (not a replacement character's name), strings sort in byte order, and the hash gets
 * the raw bytes. A path goes to lstat as a string when every name is ASCII (stat-numbers.ts), else
 * written into one reused buffer: a new Buffer per file cost more than a third of the stats' own time.
 */
async function statPicture(folders: readonly StatFolder[], how: { log: Logger; offThread: boolean }): Promise<string> {
  const hash = createHash('sha256');
  for (const { dir, markdownOnly, prefix } of folders) {
    hash.update(prefix);
    let names: string[];
    try {
      names = (await readdir(dir, { encoding: 'latin1' })).filter((n) => !markdownOnly || n.endsWith('.md')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hash.update('missing');
      continue;
    }
    const numbers = await statNumbers(`${dir}${path.sep}`, names, how);
    hash.update(names.join('\0'), 'latin1');
    hash.update(new Uint8Array(numbers.buffer));
  }
  return hash.digest('hex');
}

/**
 * Size, inode, mtime and ctime of each `folder + name` (latin1 names), four numbers a file (stat-numbers.ts). With
 * `offThread`, a folder of OFF_THREAD_FILES files or more is stat'd by a worker thread: the poll's main thread is
 * busy with the feed meanwhile (parsed and hashed as it comes), and the stats then cost it nothing. A worker that
 * cannot run (its file missing, no thread to be had) leaves the stats to this thread, said at debug level.
 */
async function statNumbers(
  folder: string,
  names: readonly string[],
  { log, offThread }: { log: Logger; offThread: boolean },
): Promise<Float64Array> {
  if (offThread && names.length >= OFF_THREAD_FILES) {
    try {
      return await statNumbersOffThread(folder, names);
    } catch (error) {
      log.debug({ folder, err: error }, "the site's picture could not be taken by a worker thread; taking it here");
    }
  }
  const { numbers, stat } = statTable(folder, names);
  await eachInTurns(names, stat, STATS_PER_TURN);
  return numbers;
}

/**
 * Where a worker's start (~50 ms on a 2-core machine) costs less than the stats it takes off a busy main thread (~5 us
 * a file): 100k files, a re-signed no-op poll 2.4 -> 2.1 s (bench/RESULTS.md); at 10k files, no gain.
 */
const OFF_THREAD_FILES = 20_000;

async function statNumbersOffThread(folder: string, names: readonly string[]): Promise<Float64Array> {
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./stat-worker.js', import.meta.url), { workerData: { folder, names } });
    worker.once('message', (numbers: Float64Array) => resolve(numbers));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the picture's worker thread ended (code ${code}) with no answer`)));
  });
}
