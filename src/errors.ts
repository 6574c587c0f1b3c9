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
