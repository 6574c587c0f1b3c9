import { describeError } from '../errors.js';
import { execFile } from 'node:child_process';
import { accessSync, constants, type Dirent, existsSync, statSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat as fsStat } from 'node:fs/promises';
import { devNull } from 'node:os';
import path from 'node:path';
import { childEnv, type Env } from '../env.js';

/**
 * Git on a site that may be a stranger's: a cloned site repository, or a copied folder that
 * carries its own `.git`. Git's programs come from the user (PATH, the global and system
 * config); none comes from the site.
 */

/**
 * Config that would make git run a program, turned off on every call: command-line config
 * wins over every file, the repository's own `.git/config` (which a copied site carries) and
 * its includes. Filter drivers cannot be turned off by name: see unsafeRepositoryConfig.
 */
const SAFE_CONFIG = [
  // A program run by every status and ls-files to ask what changed.
  'core.fsmonitor=false',
  // None of the commands used runs a hook; should one ever do, it finds none.
  `core.hooksPath=${devNull}`,
  'core.pager=cat',
  // Nothing here diffs; should something ever do, it fails rather than run the repository's program.
  'diff.external=',
  // Nothing here needs the network. (A protocol.<name>.allow of the repository's own wins over
  // this default: a partial clone, which fetches a missing object on its own, is refused by
  // unsafeRepositoryConfig.)
  'protocol.allow=never',
  // A folder that only looks like a repository (HEAD, objects/, refs/: a copied `.git` under
  // another name) is not one to git: its config could name a filter git would run (git 2.38
  // and later; for older ones, siteRepository names such a folder and its config is checked).
  'safe.bareRepository=explicit',
  // What status compares before it reads a file: the repository's own config may tell it to trust less of a file's
  // stat (the ctime, the inode), so an edit of the same size whose mtime was set back would look unchanged.
  'core.trustctime=true',
  'core.checkStat=default',
  // Attributes and excludes from files the config names (the repository's, the user's): an `ident` there would hide
  // an edit, a FIFO would hang git. The work tree's own and info/'s are looked at by gitFilesProblem.
  `core.attributesFile=${devNull}`,
  `core.excludesFile=${devNull}`,
].flatMap((setting) => ['-c', setting]);

/**
 * Variables git gets besides the reduced environment: never a prompt, never a write to the
 * user's index, never a fetch of a missing object (git 2.44 and later).
 */
const GIT_VARIABLES = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1' };

/** The environment git starts with: childEnv of the tool's, and no GIT_* from it. */
export function gitEnv(env: Env): Record<string, string> {
  return { ...childEnv(env), ...GIT_VARIABLES };
}

/**
 * The git program: the first `git` (`git.exe` on Windows) in one of PATH's absolute folders,
 * or undefined. Never a bare `git`: Windows looks in the working folder (the site) before
 * PATH, and a relative PATH entry ("." or an empty one) is the working folder elsewhere, so a
 * `git` the site ships would run.
 */
export function findGit(env: Env): string | undefined {
  const name = process.platform === 'win32' ? 'git.exe' : 'git';
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    if (isProgram(file)) return file;
  }
  return undefined;
}

function isProgram(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** How long one git call may take: status over a site of 100k files takes a few seconds. */
const GIT_TIMEOUT_MS = 60_000;

/** Runs git in `cwd` with SAFE_CONFIG and the reduced environment; resolves with its stdout. */
export function runGit(
  program: string,
  cwd: string,
  env: Env,
  args: readonly string[],
  input?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      [...SAFE_CONFIG, ...args],
      // A git that hangs (a FIFO where it reads a file, one gitFilesProblem did not look at) ends the git picture,
      // not the poll.
      { cwd, env: gitEnv(env), maxBuffer: 256 * 1024 * 1024, timeout: GIT_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    // Closed at once when there is no input: a hook or filter of the user's that reads stdin gets
    // its end, not a wait. A git that exits before reading it all fails the run either way.
    child.stdin?.on('error', reject);
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
  });
}

/** See unsafeRepositoryConfig. */
const UNSAFE_WORDS = /filter|include|promisor|partialclone/i;

/**
 * Every repository git could use for the site, nearest first: each `.git` (a folder, or a file
 * naming one) in the site's folder or above it, and each of those folders that is itself laid
 * out like a repository (a bare one: HEAD, objects/ and refs/). None found: git is not asked
 * at all (a process start saved on every poll of a site outside git); which one git really
 * uses, it names itself (siteRepository).
 */
export function dotGitsAbove(siteDir: string): string[] {
  const found: string[] = [];
  for (let dir = path.resolve(siteDir); ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    if (existsSync(dotGit)) found.push(dotGit);
    if (looksLikeRepository(dir)) found.push(dir);
    if (path.dirname(dir) === dir) return found;
  }
}

/** Git's own test for a repository folder (setup.c, is_git_directory), without reading HEAD. */
function looksLikeRepository(dir: string): boolean {
  return ['HEAD', 'objects', 'refs'].every((name) => existsSync(path.join(dir, name)));
}

/**
 * Why the repositories' own config (of the folders git names, siteRepository) is not safe to
 * run git with, or undefined. What no `-c` can turn off: a filter driver (`[filter "x"] clean = ...`, which
 * `git status` runs on a file that .gitattributes names: drivers are turned off by name
 * only), an include (which may bring one), and a partial clone's promisor remote (a missing
 * object is fetched through a transport the config chooses, `ext::` and core.sshCommand
 * included). A file that so much as mentions one of UNSAFE_WORDS is refused: a false positive
 * costs only the git picture. The user's global and system config are theirs, and trusted
 * (git-lfs).
 */
export async function unsafeRepositoryConfig(dotGits: readonly string[]): Promise<string | undefined> {
  for (const dotGit of dotGits) {
    let files: string[];
    try {
      files = await configFiles(dotGit);
    } catch (error) {
      return `${dotGit} cannot be read (${describeError(error)})`;
    }
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return '';
        throw error;
      });
      const word = UNSAFE_WORDS.exec(text)?.[0];
      if (word !== undefined) return `${file} mentions "${word}"`;
    }
  }
  return undefined;
}

/** The repository git itself takes for the site. */
export interface SiteRepository {
  /** Its repository folder and common folder, as real paths. */
  dirs: string[];
  /** The site's folder from the work tree's top, "" or ending in "/" ("site/"): how `status` names paths. */
  prefix: string;
  /** Whether the site's folder is in the repository's work tree (not so when `core.worktree` names another). */
  inWorkTree: boolean;
}

/**
 * The repository folder and common folder git itself takes for the site, as real paths, and the site's place in its
 * work tree. Our own reading of `.git` files and `commondir` (dotGitsAbove, configFiles) can differ from git's in
 * ways a planted repository can use (spaces around the path, `..` after a symlink), so the folders whose config is
 * checked are also the ones git names. rev-parse reads no index and runs no filter.
 */
export async function siteRepository(program: string, siteDir: string, env: Env): Promise<SiteRepository> {
  const out = await runGit(program, siteDir, env, [
    'rev-parse',
    '--absolute-git-dir',
    '--git-common-dir',
    '--is-inside-work-tree',
    '--show-prefix',
  ]);
  // Four lines; a path with a line break in it (a folder above the site's, say) cannot be read back from them.
  const lines = out.split('\n');
  const [gitDir = '', commonDir = '', inside = '', prefix = ''] = lines;
  if (lines.length !== 5 || lines[4] !== '' || gitDir === '' || commonDir === '' || !/^(true|false)$/.test(inside)) {
    throw new Error(`git rev-parse answered ${JSON.stringify(out)}`);
  }
  const dirs = await Promise.all([gitDir, path.resolve(siteDir, commonDir)].map((dir) => realpath(dir)));
  return { dirs, prefix, inWorkTree: inside === 'true' };
}

/** Attributes under which status compares a file's converted form, so an edit can look like no change. */
const HIDING_ATTRIBUTES = /\bident\b|working-tree-encoding/;

/** An owned folder as its caller listed it (its direct entries, read once), from the work tree's top. */
export interface ListedFolder {
  /** The folder from the work tree's top (`site/content/post`). */
  folder: string;
  entries: readonly Dirent[];
}

/**
 * Why git's own files make its status no picture of the folders the sync owns, or undefined: one that is not a file
 * (a FIFO named `.gitignore` would hang git), or attributes that make status compare a converted form (`ident`
 * collapses `$Id: ... $`). Looked at: the work tree's `.gitignore` and `.gitattributes` from its top (`top`) down to
 * each owned folder, a `.gitattributes` there being a symbolic link (git before 2.32 followed one); those in the
 * folders below them (status walks them), by the type their folder lists, up to FOLDERS_BELOW folders (past them, a
 * FIFO costs the git call's timeout); and the `info/` files of the repository's folders (`repositoryDirs`: a linked
 * worktree's own and the common one), through links. A file that so much as mentions such an attribute is enough: a
 * false positive costs only the git picture. (The attributes and excludes files a config names are turned off:
 * SAFE_CONFIG; one missing on disk but in the index: gitPicture.)
 */
export async function gitFilesProblem(
  top: string,
  owned: readonly ListedFolder[],
  repositoryDirs: readonly string[],
): Promise<string | undefined> {
  const onTheWay = new Set(owned.flatMap(({ folder }) => foldersDown(folder)));
  for (const dir of onTheWay) {
    for (const name of GIT_FILES) {
      const why = await gitFileProblem(path.join(top, dir, name), false);
      if (why !== undefined) return why;
    }
  }
  for (const dir of repositoryDirs) {
    for (const name of ['exclude', 'attributes']) {
      const why = await gitFileProblem(path.join(dir, 'info', name), true);
      if (why !== undefined) return why;
    }
  }
  return belowProblem(owned.map(({ folder, entries }) => ({ dir: path.join(top, folder), entries })));
}

const GIT_FILES = ['.gitignore', '.gitattributes'];

/** How many folders below the owned ones are looked at for a `.gitignore` that is not a file. */
const FOLDERS_BELOW = 256;

/** The folders from the work tree's top ("") down to `folder` (from the top), both included. */
export function foldersDown(folder: string): string[] {
  const names = folder.split('/').filter((part) => part !== '' && part !== '.');
  return ['', ...names.map((_, i) => names.slice(0, i + 1).join('/'))];
}

/** What is wrong with one of git's files for the picture, or undefined (no such file is fine). */
async function gitFileProblem(file: string, follow: boolean): Promise<string | undefined> {
  const stat = await (follow ? fsStat : lstat)(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (stat === undefined) return undefined;
  const attributes = file.endsWith('attributes');
  // git 2.32 and later follow no symbolic link to the work tree's own files; an older one reads its target.
  if (stat.isSymbolicLink()) return attributes ? `${file} is a symbolic link` : undefined;
  if (!stat.isFile()) return `${file} is not a file`;
  if (!attributes) return undefined;
  const word = HIDING_ATTRIBUTES.exec(await readFile(file, 'utf8'))?.[0];
  return word === undefined ? undefined : `${file} sets ${word}`;
}

/**
 * A `.gitignore` or `.gitattributes` that is not a file in the folders below the listed ones, breadth first,
 * FOLDERS_BELOW folders at most (the listed ones' own entries are their callers': read once).
 */
async function belowProblem(
  listed: readonly { dir: string; entries: readonly Dirent[] }[],
): Promise<string | undefined> {
  const queue: { dir: string; entries?: readonly Dirent[] }[] = [...listed];
  for (let seen = 0; seen < queue.length && seen <= FOLDERS_BELOW; seen++) {
    const { dir, entries } = queue[seen] as (typeof queue)[number];
    for (const entry of entries ?? (await listing(dir))) {
      const below = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') queue.push({ dir: below });
      else if (GIT_FILES.includes(entry.name) && !entry.isFile() && !entry.isSymbolicLink()) {
        return `${below} is not a file`;
      }
    }
  }
  return undefined;
}

/** A folder's entries; none when it is gone (or no folder) by now. */
async function listing(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/**
 * The config files of a `.git`: its own folder's (or the folder a `gitdir:` file names), and
 * those of the common folder that a `commondir` file names (a linked worktree's repository).
 */
async function configFiles(dotGit: string): Promise<string[]> {
  const gitDir = statSync(dotGit).isDirectory() ? dotGit : await gitDirOfFile(dotGit);
  const dirs = [gitDir];
  const common = await readFile(path.join(gitDir, 'commondir'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (common !== undefined) dirs.push(path.resolve(gitDir, common.trim()));
  return dirs.flatMap((dir) => [path.join(dir, 'config'), path.join(dir, 'config.worktree')]);
}

/** The folder a `.git` file names ("gitdir: <path>", relative to the file's folder). */
async function gitDirOfFile(file: string): Promise<string> {
  const text = (await readFile(file, 'utf8')).trim();
  if (!text.startsWith('gitdir:')) throw new Error('not a "gitdir: <path>" file');
  return path.resolve(path.dirname(file), text.slice('gitdir:'.length).trim());
}
