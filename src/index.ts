export { sync, type SyncDeps, type SyncOptions } from './sync/run.js';
export type { Summary, CollectionSummary, Counts, ItemFailure, CollectionResult } from './summary.js';
export { loadConfig, type LoadConfigOptions, type ConfigOverrides } from './config/load.js';
export type { Config, CollectionConfig } from './config/schema.js';
export { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
export { LockHeldError } from './state/lock.js';
export {
  ConfigError,
  DropmarkSyncError,
  FeedError,
  FeedItemError,
  RenderError,
  SymlinkRefusedError,
  SyncRefusedError,
} from './errors.js';
export { createLogger, silentLogger, type Logger } from './log.js';
