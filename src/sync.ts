import path from 'node:path';
import type { Dispatcher } from 'undici';
import { applyChanges, type FileFailure } from './apply/apply.js';
import type { CollectionConfig, Config } from './config/schema.js';
import { DropmarkSyncError } from './errors.js';
import { fetchFeed } from './feed/client.js';
import { parseFeed } from './feed/parse.js';
import { toRfc3339Utc } from './map/dates.js';
import { cleanTitle, mapItem } from './map/item.js';
import type { PreviousPost } from './map/post.js';
import { assignSlugs } from './map/slugs.js';
import { plan, type WantedFile } from './plan.js';
import { redactText, stripSecrets } from './redact.js';
import { renderPost } from './render/post.js';
import type { Logger } from './log.js';
import { readSite, type ExistingFile } from './site/read.js';

/** Side effects, injected at the edge so tests can drive them. */
export interface SyncDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  now: () => Date;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

export interface SyncOptions {
  allowMassDelete?: boolean;
}

export interface ItemFailure {
  /** The item id, when the failure is about one item. */
  itemId?: string;
  /** The file, relative to siteDir, when the failure is about one file. */
  file?: string;
  reason: string;
}

export interface CollectionSummary {
  /** The feed URL, without key or password. */
  endpoint: string;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  imagesDownloaded: number;
  /** Changed paths, relative to siteDir. */
  files: string[];
  failures: ItemFailure[];
  /** Set when the whole collection failed or was refused; nothing of it was written. */
  error?: string;
}

export interface Summary {
  ok: boolean;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  imagesDownloaded: number;
  files: string[];
  collections: CollectionSummary[];
  durationMs: number;
}

/** One pass over every configured collection. Never throws for a collection's failure: the summary says. */
export async function sync(config: Config, deps: SyncDeps, options: SyncOptions = {}): Promise<Summary> {
  const started = Date.now();
  const collections: CollectionSummary[] = [];
  for (const collection of config.collections) {
    collections.push(await syncCollection(config, collection, deps, options));
  }
  const total = (key: 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed' | 'imagesDownloaded') =>
    collections.reduce((n, c) => n + c[key], 0);
  return {
    ok: collections.every((c) => c.error === undefined && c.failed === 0),
    created: total('created'),
    updated: total('updated'),
    deleted: total('deleted'),
    unchanged: total('unchanged'),
    failed: total('failed'),
    imagesDownloaded: total('imagesDownloaded'),
    files: collections.flatMap((c) => c.files),
    collections,
    durationMs: Date.now() - started,
  };
}

async function syncCollection(
  config: Config,
  collection: CollectionConfig,
  deps: SyncDeps,
  options: SyncOptions,
): Promise<CollectionSummary> {
  const feedUrl = stripSecrets(collection.endpoint);
  const summary: CollectionSummary = {
    endpoint: feedUrl,
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    failed: 0,
    imagesDownloaded: 0,
    files: [],
    failures: [],
  };
  const apiKey = deps.env['DROPMARK_API_KEY'] || undefined;
  const log = deps.logger;
  try {
    const fetched = await fetchFeed(collection.endpoint, config.http, {
      dispatcher: deps.dispatcher,
      logger: log,
      now: () => deps.now().getTime(),
      apiKey,
      signal: deps.signal,
    });
    const feed = parseFeed(fetched.body, feedUrl);
    for (const warning of feed.warnings) log.warn({ endpoint: feedUrl }, warning);
    log.info({ endpoint: feedUrl, items: feed.items.length }, 'feed fetched');

    const site = await readSite(config.siteDir, collection.contentDir);
    for (const warning of site.warnings) log.warn({ contentDir: collection.contentDir }, warning);

    const existingById = new Map<string, ExistingFile>();
    for (const file of site.files) {
      if (file.id !== undefined && !existingById.has(file.id)) existingById.set(file.id, file);
    }
    const feedIds = new Set(feed.items.map((i) => i.id));
    const taken = new Set(site.files.filter((f) => f.id === undefined || !feedIds.has(f.id)).map((f) => f.name));
    const slugs = assignSlugs(feed.items, {
      existingById: new Map([...existingById].map(([id, f]) => [id, f.name])),
      taken,
    });

    const now = deps.now();
    const relDir = collection.contentDir.split(path.sep).join('/').replace(/\/+$/, '');
    const wanted: WantedFile[] = [];
    const keepIds = new Set<string>();
    for (const item of feed.items) {
      const slug = slugs.get(item.id) as string;
      const existing = existingById.get(item.id);
      try {
        const post = mapItem(
          item,
          slug,
          { feedUrl, imageMode: collection.images.mode, now },
          previousValues(existing),
        );
        wanted.push({
          id: item.id,
          relPath: `${relDir}/${slug}.md`,
          text: renderPost(post, existing?.data),
          title: post.fields.title,
          link: post.fields.link,
        });
      } catch (error) {
        if (!(error instanceof DropmarkSyncError)) throw error;
        keepIds.add(item.id);
        summary.failures.push({ itemId: item.id, reason: error.message });
        log.error({ itemId: item.id, title: cleanTitle(item.name) }, error.message);
      }
    }

    const planned = plan(wanted, site.files, {
      deletions: collection.deletions,
      allowMassDelete: options.allowMassDelete ?? false,
      feedItemCount: feed.items.length,
      keepIds,
    });
    if (planned.refusal) {
      summary.error = `${feedUrl}: refused: ${planned.refusal}. Nothing was changed`;
      return summary;
    }
    const applied = await applyChanges(config.siteDir, collection.contentDir, planned.changes, site.strayTempFiles);
    const failedPaths = new Set(applied.failed.map((f) => f.relPath));
    for (const change of planned.changes) {
      if (failedPaths.has(change.relPath)) continue;
      summary[change.kind === 'create' ? 'created' : change.kind === 'update' ? 'updated' : 'deleted']++;
      summary.files.push(change.relPath);
      if (change.kind === 'update' && change.renamedFrom && !failedPaths.has(change.renamedFrom)) {
        summary.files.push(change.renamedFrom);
      }
    }
    summary.unchanged = planned.unchanged;
    summary.failures.push(...applied.failed.map((f: FileFailure) => ({ file: f.relPath, reason: f.reason })));
    summary.failed = summary.failures.length;
    for (const failure of applied.failed) log.error({ file: failure.relPath }, `cannot write: ${failure.reason}`);
  } catch (error) {
    if (!(error instanceof DropmarkSyncError)) {
      // A bug or an unexpected I/O error: still a summary, never a secret in it.
      summary.error = `${feedUrl}: ${redactText((error as Error).message ?? String(error), apiKey ? [apiKey] : [])}`;
      log.error({ endpoint: feedUrl, err: error }, 'sync failed');
      return summary;
    }
    summary.error = redactText(error.message, apiKey ? [apiKey] : []);
  }
  summary.failed = summary.failures.length;
  return summary;
}

function previousValues(file: ExistingFile | undefined): PreviousPost | undefined {
  if (!file?.data) return undefined;
  const previous: PreviousPost = {};
  const score = file.data['socialScore'];
  if (file.data['socialScoreSimulated'] === true && typeof score === 'number' && Number.isInteger(score)) {
    previous.socialScore = score;
  }
  // Only a well-formed date is taken over: it is written unquoted.
  const date = typeof file.data['date'] === 'string' ? toRfc3339Utc(file.data['date']) : undefined;
  if (date !== undefined) previous.date = date;
  return previous;
}
