/**
 * The few error classes a person sees. Each carries what is needed to act on it
 * (key path, URL without secrets, status, item id) and a message that says what to do.
 */

export class DropmarkSyncError extends Error {
  override name = 'DropmarkSyncError';
}

/** The config file or a command-line option is wrong; `keyPath` names the key (`http.timeoutMs`). */
export class ConfigError extends DropmarkSyncError {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly keyPath: string | undefined,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** The feed could not be had or is not a feed. `url` never carries a key or a password. */
export class FeedError extends DropmarkSyncError {
  override name = 'FeedError';
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Something in the feed's items is unusable (an item id, a duplicate). */
export class FeedItemError extends DropmarkSyncError {
  override name = 'FeedItemError';
  constructor(
    message: string,
    readonly itemIds: readonly string[],
  ) {
    super(message);
  }
}

/** The run was refused to protect the site (mass deletion, unsafe content dir). Nothing was written. */
export class SyncRefusedError extends DropmarkSyncError {
  override name = 'SyncRefusedError';
}

/**
 * One file was not written, renamed over or removed because a symbolic link stands at its
 * path: the tool never writes through a link (it could point anywhere). The file fails; the
 * run goes on.
 */
export class SymlinkRefusedError extends DropmarkSyncError {
  override name = 'SymlinkRefusedError';
}

/**
 * A new file was not created because something already stands at its name: a person's file the content folder's
 * listing did not show (made during the sync), or, on a case-insensitive file system, one whose name differs only
 * in case. A new file never replaces one. The file fails; the run goes on.
 */
export class NameTakenError extends DropmarkSyncError {
  override name = 'NameTakenError';
}

/** A rendered file did not read back to the values meant: a bug in the emitter, never written. */
export class RenderError extends DropmarkSyncError {
  override name = 'RenderError';
  constructor(
    message: string,
    readonly itemId: string,
  ) {
    super(message);
  }
}

/** A file the tool keeps for itself (heartbeat, lock, caches) is unreadable or not what it wrote. */
export class StateFileError extends DropmarkSyncError {
  override name = 'StateFileError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full; free some space and run again',
  EDQUOT: 'the disk quota is used up; free some space and run again',
  EACCES: 'permission denied; check the owner and permissions of the file and its folder',
  EPERM: 'operation not permitted; check the owner and permissions of the file and its folder',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder, where a file was expected',
  ENOTDIR: 'a part of the path is a file, where a folder was expected',
  ELOOP: 'it is a symbolic link, which is never followed; remove it',
  ENOTREG: 'it is not a regular file (a FIFO, a device); remove it',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or lower http.concurrency',
};

/**
 * One line for an operating-system error (ENOSPC at a path, ...): what failed, where, and what
 * to do. Undefined for anything else.
 */
export function describeSystemError(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | null;
  const code = e && typeof e === 'object' ? e.code : undefined;
  if (typeof code !== 'string' || !(code in SYSTEM_ERRORS)) return undefined;
  const where = typeof e?.path === 'string' ? `${e.path}: ` : '';
  return `${where}${SYSTEM_ERRORS[code]} (${code})`;
}
