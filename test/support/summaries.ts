import type { CollectionSummary, Summary } from '../../src/summary.js';

/** A run's summary of these collections, its totals summed from theirs; `over` sets anything else. */
export function summaryOf(collections: CollectionSummary[], over: Partial<Summary> = {}): Summary {
  const sum = (k: 'created' | 'updated' | 'deleted' | 'unchanged' | 'skipped' | 'failed') =>
    collections.reduce((n, c) => n + c[k], 0);
  return {
    created: sum('created'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    unchanged: sum('unchanged'),
    skipped: sum('skipped'),
    failed: sum('failed'),
    imagesDownloaded: 0,
    imagesMissing: 0,
    files: [],
    ok: true,
    result: 'ok',
    stopped: false,
    dryRun: false,
    startedAt: '2026-11-27T00:00:00.000Z',
    durationMs: 1,
    collections,
    ...over,
  };
}
