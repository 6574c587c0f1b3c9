/**
 * The named failures of dropmark-sync. Each carries what is needed to act on it (key path, URL
 * without secrets, status, item id, file) and a message that says what to do. Every class is
 * exported from the package entry; catch `DropmarkSyncError` for all of them. Options objects,
 * not positional arguments: a call reads as what it sets.
 */

export class DropmarkSyncError extends Error {
  override name = 'DropmarkSyncError';
}

/** The config file or a command-line option is wrong. */
export class ConfigError extends DropmarkSyncError {
  override name = 'ConfigError';
  /** The key that is wrong (`http.timeoutMs`, `collections.0.endpoint`); '' for the whole file. */
  readonly keyPath: string | undefined;
  /** The config file (or `.env`, `LOG_LEVEL`) the value came from. */
  readonly file: string | undefined;
  constructor(
    message: string,
    options: { keyPath?: string | undefined; file?: string | undefined } & ErrorOptions = {},
  ) {
    super(message, causeOf(options));
    this.keyPath = options.keyPath;
    this.file = options.file;
  }
}

/** The feed could not be had or is not a feed. */
export class FeedError extends DropmarkSyncError {
  override name = 'FeedError';
  /** The feed's URL, never with a key or a password. */
  readonly url: string;
  /** The HTTP status of the answer, when there was one. */
  readonly status: number | undefined;
  constructor(message: string, options: { url: string; status?: number | undefined } & ErrorOptions) {
    super(message, causeOf(options));
    this.url = options.url;
    this.status = options.status;
  }
}

/** Something in the feed's items is unusable (an item id, a duplicate, a date, a body nested too deep). */
export class FeedItemError extends DropmarkSyncError {
  override name = 'FeedItemError';
  readonly itemIds: readonly string[];
  constructor(message: string, options: { itemIds: readonly string[] } & ErrorOptions) {
    super(message, causeOf(options));
    this.itemIds = options.itemIds;
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
  readonly file: string;
  constructor(message: string, options: { file: string } & ErrorOptions) {
    super(message, causeOf(options));
    this.file = options.file;
  }
}

/**
 * A new file was not created because something already stands at its name: a person's file the content folder's
 * listing did not show (made during the sync), or, on a case-insensitive file system, one whose name differs only
 * in case. A new file never replaces one. The file fails; the run goes on.
 */
export class NameTakenError extends DropmarkSyncError {
  override name = 'NameTakenError';
  readonly file: string;
  constructor(message: string, options: { file: string } & ErrorOptions) {
    super(message, causeOf(options));
    this.file = options.file;
  }
}

/** A rendered file did not read back to the values meant: a bug in the emitter, never written. */
export class RenderError extends DropmarkSyncError {
  override name = 'RenderError';
  readonly itemId: string;
  constructor(message: string, options: { itemId: string } & ErrorOptions) {
    super(message, causeOf(options));
    this.itemId = options.itemId;
  }
}

/** A file the tool keeps for itself (heartbeat, lock, caches) is unreadable or not what it wrote. */
export class StateFileError extends DropmarkSyncError {
  override name = 'StateFileError';
  readonly file: string;
  constructor(message: string, options: { file: string } & ErrorOptions) {
    super(message, causeOf(options));
    this.file = options.file;
  }
}

/** `{ cause }` only when one was given: an error without a cause has no `cause` property at all. */
export function causeOf(options: ErrorOptions): ErrorOptions | undefined {
  return options.cause === undefined ? undefined : { cause: options.cause };
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

/**
 * An error's message for a person: the one line of describeSystemError for an operating-system
 * error, else the error's own message. `withPath: false` leaves out the path of a system error,
 * for a caller that names the file itself.
 */
export function describeError(error: unknown, options: { withPath?: boolean } = {}): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const system = describeSystemError(options.withPath === false ? { code } : error);
  if (system !== undefined) return system;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
