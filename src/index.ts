export { sync, type Summary, type CollectionSummary, type SyncDeps, type SyncOptions } from './sync.js';
export { loadConfig, type LoadConfigOptions, type ConfigOverrides } from './config/load.js';
export type { Config, CollectionConfig } from './config/schema.js';
export { ConfigError, DropmarkSyncError, FeedError, FeedItemError, RenderError, SyncRefusedError } from './errors.js';
