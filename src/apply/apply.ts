import { realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describeError, SyncRefusedError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { FileOp } from '../plan/post-plan.js';
import { findSymlinkOnPath } from '../fs/symlinks.js';
import { asPromise, moveIntoPlace, nodeFs, removeFile, writeFileAtomic, type WriteFs } from '../fs/atomic-write.js';

export interface FileFailure {
  relPath: string;
  reason: string;
}

export interface ApplyResult {
  written: string[];
  deleted: string[];
  failed: FileFailure[];
  /** True when `shouldStop` ended the run before every change was made. */
  stopped: boolean;
}

export interface ApplyOptions {
  /** Leftover temp files of an interrupted run (ours by name), removed first. */
  strayTempFiles?: readonly string[];
  /** Asked before each step: a stop request lets the file in progress finish, then ends the run. */
  shouldStop?: () => boolean;
  /** The file system calls; tests simulate a full or read-only disk with it. */
  fs?: WriteFs;
  /** Where a leftover temp file that cannot be removed is told (debug); silent by default. */
  logger?: Logger;
}

/**
 * The only code that changes the site. Steps run in the order given (the caller puts new
 * files before the deletions that could leave a gap). A file that cannot be written is
 * reported and the rest go on. Every folder touched is checked first: none may be, or lie
 * under, a symbolic link inside the site dir.
 */
export async function applyOps(
  siteDir: string,
  ops: readonly FileOp[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { written: [], deleted: [], failed: [], stopped: false };
  const abs = (relPath: string) => resolveInside(siteDir, relPath);
  const fs = options.fs ?? nodeFs;

  await removeStrays(options.strayTempFiles ?? [], abs, fs, options.logger ?? silentLogger);
  if (ops.length === 0) return result;

  for (const dir of new Set(ops.map((op) => path.posix.dirname(op.relPath)))) {
    const linked = await findSymlinkOnPath(siteDir, dir);
    if (linked) {
      throw new SyncRefusedError(
        `${linked} is a symbolic link; refusing to write through it. Replace it with a real folder`,
      );
    }
  }
  const guard = folderGuard(abs);
  const context: StepContext = { abs, fs, guard, result };

  // Phases run in order (the order that matters for a crash), their steps one at a time.
  const phases = [...new Set(ops.map((op) => op.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    await runPhase(
      ops.filter((op) => op.phase === phase),
      context,
      options.shouldStop,
    );
    if (guard.refusal) throw guard.refusal;
    if (result.stopped) return result;
  }
  return result;
}

/** Leftover temp files of an interrupted run: hidden, never pages, so one that stays is only told, not a failure. */
async function removeStrays(
  strays: readonly string[],
  abs: (relPath: string) => string,
  fs: WriteFs,
  log: Logger,
): Promise<void> {
  for (const stray of strays) {
    await fs.unlink(abs(stray)).catch((error: NodeJS.ErrnoException) => {
      // ENOENT: another run removed it meanwhile, which is all this wanted.
      if (error.code !== 'ENOENT')
        log.debug({ file: stray, err: error }, 'a leftover temp file could not be removed; the next run tries again');
    });
  }
}

interface StepContext {
  abs: (relPath: string) => string;
  fs: WriteFs;
  guard: FolderGuard;
  result: ApplyResult;
}

/**
 * One phase's steps, one after another: the default file system calls are synchronous
 * (fs/atomic-write.ts says why), so steps side by side would gain nothing. Every YIELD_EVERY
 * steps the event loop gets a turn: a stop signal is heard there, and `shouldStop`, asked as
 * each step is about to start, ends the phase; the step in progress finishes. A refusal does too.
 */
async function runPhase(
  steps: readonly FileOp[],
  context: StepContext,
  shouldStop: (() => boolean) | undefined,
): Promise<void> {
  for (const [index, op] of steps.entries()) {
    if (index > 0 && index % YIELD_EVERY === 0) await nextTurn();
    if (context.guard.refusal !== undefined || context.result.stopped) return;
    if (shouldStop?.()) {
      context.result.stopped = true;
      return;
    }
    await applyStep(op, context);
  }
}

/** One step; its failure is recorded in the result, a refusal ends the run (the caller throws it). */
async function applyStep(op: FileOp, { abs, fs, guard, result }: StepContext): Promise<void> {
  try {
    if (op.op === 'delete') {
      // The file whose bytes were moved to that path stays while they are not there.
      if (op.unlessFailed?.some((p) => result.failed.some((f) => f.relPath === p))) return;
      await guard.commit(op.relPath)();
      await removeFile(abs(op.relPath), fs);
      result.deleted.push(op.relPath);
      return;
    }
    await guard.ensureDir(path.posix.dirname(op.relPath));
    if (op.op === 'move') {
      await guard.commit(op.relPath)();
      await moveIntoPlace(op.from, abs(op.relPath), fs);
    } else {
      await writeFileAtomic(abs(op.relPath), op.data, guard.commit(op.relPath), fs, op.create ? 'create' : 'replace');
    }
    result.written.push(op.relPath);
  } catch (error) {
    if (error === guard.refusal) return;
    // A file already gone is what a delete wanted.
    if (op.op === 'delete' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    result.failed.push({ relPath: op.relPath, reason: describe(error) });
    return;
  }
  if (op.op === 'write' && op.replaces) {
    try {
      await removeFile(abs(op.replaces), fs);
      result.deleted.push(op.replaces);
    } catch (error) {
      result.failed.push({ relPath: op.replaces, reason: describe(error) });
    }
  }
}

/** The system's realpath(3), synchronous like the writes (it is called per file). */
const realpath = (dir: string): Promise<string> => asPromise(() => realpathSync.native(dir));

interface FolderGuard {
  /** Creates a folder once, and resolves to where it really is. */
  ensureDir(dir: string): Promise<string>;
  /** The check to run right before a step's change becomes visible. */
  commit(relPath: string): () => Promise<void>;
  /** Set once a folder changed during the run: every later step is refused. */
  readonly refusal: SyncRefusedError | undefined;
}

/**
 * Right before a change becomes visible: the folder must still be where it was. A folder
 * swapped for a symlink during the run (after the check in applyOps) would take the write
 * outside the site; the run is refused instead. (Node has no openat(); this leaves only the
 * instant between this check and the rename.)
 */
function folderGuard(abs: (relPath: string) => string): FolderGuard {
  const made = new Map<string, Promise<string>>();
  let refusal: SyncRefusedError | undefined;
  const ensureDir = (dir: string) => {
    let pending = made.get(dir);
    if (!pending) {
      pending = mkdir(abs(dir), { recursive: true }).then(() => realpath(abs(dir)));
      made.set(dir, pending);
    }
    return pending;
  };
  const commit = (relPath: string) => async () => {
    const dir = path.posix.dirname(relPath);
    const expected = await ensureDir(dir);
    // A folder that no longer resolves changed too; its error goes along as the refusal's cause.
    let unresolved: { cause: unknown } | undefined;
    const now = await realpath(abs(dir)).catch((error: unknown) => {
      unresolved = { cause: error };
      return undefined;
    });
    if (now !== expected) {
      refusal ??= new SyncRefusedError(
        `${abs(dir)} changed during the sync (replaced by a symbolic link?); refusing to write through it`,
        unresolved,
      );
      throw refusal;
    }
  };
  return {
    ensureDir,
    commit,
    get refusal() {
      return refusal;
    },
  };
}

/** Steps between turns of the event loop: a few milliseconds of system calls on a local disk. */
const YIELD_EVERY = 64;

/** Joins and checks that the result stays inside the site dir (no path from feed data may leave it). */
function resolveInside(siteDir: string, relPath: string): string {
  const root = path.resolve(siteDir);
  const full = path.resolve(root, relPath);
  if (full !== root && !full.startsWith(root + path.sep)) {
    throw new SyncRefusedError(`refusing to touch ${relPath}: it is outside the site dir`);
  }
  return full;
}

function describe(error: unknown): string {
  // The path is the failure's own (relPath); the system error's absolute path would repeat it.
  return describeError(error, { withPath: false });
}
