import { emptyCollectionSummary, totals, type CollectionSummary, type Summary } from '../../src/summary.js';
import { SAMPLE_FEED_URL } from './fixtures.js';

/** A run's summary of these collections, its totals summed from theirs; `over` sets anything else. */
export function summaryOf(collections: CollectionSummary[], over: Partial<Summary> = {}): Summary {
  return {
    ...totals(collections),
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

/** One collection's summary of the sample feed, nothing done; `over` sets anything else. */
export const collectionSummary = (over: Partial<CollectionSummary> = {}): CollectionSummary => ({
  ...emptyCollectionSummary(SAMPLE_FEED_URL),
  ...over,
});

/** A run's summary with every count 0, started 2026-11-26T10:00Z and 1.2 s long; `over` sets the counts it tells. */
export const countedSummary = (over: Partial<Summary> = {}, collections = [collectionSummary()]): Summary =>
  summaryOf(collections, {
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    imagesDownloaded: 0,
    imagesMissing: 0,
    skipped: 0,
    failed: 0,
    files: [],
    startedAt: '2026-11-26T10:00:00.000Z',
    durationMs: 1234,
    ...over,
  });
