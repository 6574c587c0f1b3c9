import { totals, type CollectionSummary, type Summary } from '../../src/summary.js';

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
