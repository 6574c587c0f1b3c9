/**
 * The library: `loadConfig` then `sync` (or `startScheduler` around it). Every failure of the
 * tool is a `DropmarkSyncError`, each class carrying what a person needs to act (a key path, a
 * file, a URL without secrets, a status, an item id):
 * - `loadConfig` throws a `ConfigError`;
 * - `sync` throws a `LockHeldError` or a `StateFileError`, and only before it writes anything
 *   (a collection's failure is in its summary, as text);
 * - the other classes name the failures of a pass's steps (fetch, map, render, write, download);
 *   a pass records them in its summary as messages, so `sync` never throws them.
 */
export { sync, type SyncDeps, type SyncOptions } from './sync/run.js';
export type { Summary, CollectionSummary, Counts, ItemFailure, CollectionResult } from './summary.js';
export { loadConfig, type LoadConfigOptions, type ConfigOverrides } from './config/load.js';
export type { Config, CollectionConfig } from './config/schema.js';
export { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
export { LockHeldError, type LockHolder } from './state/lock.js';
export {
  ConfigError,
  DropmarkSyncError,
  FeedError,
  FeedItemError,
  NameTakenError,
  RenderError,
  StateFileError,
  SymlinkRefusedError,
  SyncRefusedError,
} from './errors.js';
export { BodyTooLargeError, HttpError, type HttpFailureKind } from './http/errors.js';
export { ImageError } from './images/image-error.js';
export { createLogger, silentLogger, type Logger } from './log.js';
export { parseFeed, type ParsedFeed, type FeedItem } from './feed/parse.js';
export { mapFeed, type MapFeedOptions, type MappedFeed, type MappedPost } from './library/map-feed.js';
export {
  checkCollectionOptions,
  type CollectionOptions,
  type CollectionOptionsInput,
} from './config/collection-options.js';
