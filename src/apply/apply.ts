import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { SyncRefusedError } from '../errors.js';
import type { Change } from '../plan.js';
import { findSymlinkOnPath } from '../site/read.js';
import { removeFile, writeFileAtomic } from './atomic-write.js';

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
  /** Asked before each file: a stop request lets the file in progress finish, then ends the run. */
  shouldStop?: () => boolean;
  /** Called when a file's temp copy is written and not yet renamed into place; the crash and signal tests slow writes down with it. */
  beforeRename?: (relPath: string) => Promise<void>;
}

/**
 * The only code that changes the content dir. Writes come before deletions, so an
 * interrupted run never has removed a file before its replacement exists. A file that
 * cannot be written is reported and the rest go on.
 */
export async function applyChanges(
  siteDir: string,
  contentDir: string,
  changes: readonly Change[],
  strayTempFiles: readonly string[] = [],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { written: [], deleted: [], failed: [], stopped: false };
  const stop = () => {
    if (options.shouldStop?.()) result.stopped = true;
    return result.stopped;
  };
  const abs = (relPath: string) => resolveInside(siteDir, relPath);

  for (const stray of strayTempFiles) await unlink(abs(stray)).catch(() => {});
  if (changes.length === 0) return result;

  const linked = await findSymlinkOnPath(siteDir, contentDir);
  if (linked) {
    throw new SyncRefusedError(
      `${linked} is a symbolic link; refusing to write through it. Replace it with a real folder`,
    );
  }
  if (changes.some((c) => c.kind !== 'delete')) await mkdir(path.join(siteDir, contentDir), { recursive: true });

  for (const change of changes) {
    if (change.kind === 'delete') continue;
    if (stop()) return result;
    try {
      const hook = options.beforeRename;
      await writeFileAtomic(abs(change.relPath), change.text, hook ? () => hook(change.relPath) : undefined);
      result.written.push(change.relPath);
    } catch (error) {
      result.failed.push({ relPath: change.relPath, reason: describe(error) });
      continue;
    }
    if (change.kind === 'update' && change.renamedFrom) {
      try {
        await removeFile(abs(change.renamedFrom));
        result.deleted.push(change.renamedFrom);
      } catch (error) {
        result.failed.push({ relPath: change.renamedFrom, reason: describe(error) });
      }
    }
  }
  for (const change of changes) {
    if (change.kind !== 'delete') continue;
    if (stop()) return result;
    try {
      await removeFile(abs(change.relPath));
      result.deleted.push(change.relPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      result.failed.push({ relPath: change.relPath, reason: describe(error) });
    }
  }
  return result;
}

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
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied; check the file and folder permissions';
  if (code === 'ENOSPC') return 'the disk is full; free some space and run again';
  if (code === 'EROFS') return 'the file system is read-only';
  return (error as Error).message;
}
