import { DropmarkSyncError } from '../errors.js';
import { redactText } from '../text/redact.js';
import type { FeedState } from '../state/feed-cache.js';
import { emptyCollectionSummary, type CollectionSummary, type ItemFailure } from '../summary.js';
import type { CollectionContext } from './types.js';

/** A 304 or an unchanged feed on a site nobody touched: the counts of the last complete pass. */
export function summarizeCached(
  ctx: CollectionContext,
  kind: 'not-modified' | 'unchanged-feed',
  trusted: FeedState,
): CollectionSummary {
  const summary = emptyCollectionSummary(ctx.feedUrl);
  summary.result = kind;
  summary.unchanged = trusted.files;
  summary.skipped = trusted.skipped ?? 0;
  if (trusted.duplicates) summary.duplicates = trusted.duplicates;
  recordImageMisses(ctx, summary, trusted.imagesMissing ?? []);
  summary.failed = summary.failures.length;
  if (summary.failed > 0) summary.result = 'failed';
  return summary;
}

/** A pass that ended early: by a stop request (the summary says stopped), or an abort or error (failed). */
export function summarizeFailure(ctx: CollectionContext, error: unknown): CollectionSummary {
  const summary = emptyCollectionSummary(ctx.feedUrl);
  if (ctx.control.stopKind() !== undefined) {
    summary.result = stoppedResult(ctx);
    if (summary.result === 'failed') summary.error = stoppedError(ctx);
    return summary;
  }
  summary.result = 'failed';
  const secrets = ctx.apiKey ? [ctx.apiKey] : [];
  if (error instanceof DropmarkSyncError) {
    summary.error = redactText(error.message, secrets);
  } else {
    // A bug or an unexpected I/O error: still a summary, never a secret in it.
    summary.error = `${ctx.feedUrl}: ${redactText((error as Error)?.message ?? String(error), secrets)}`;
    ctx.log.debug({ endpoint: ctx.feedUrl, err: error }, 'sync failed');
  }
  return summary;
}

export function stoppedResult(ctx: CollectionContext): CollectionSummary['result'] {
  return ctx.control.stopKind() === 'abort' ? 'failed' : 'stopped';
}

export function stoppedError(ctx: CollectionContext): string {
  return (
    `${ctx.feedUrl}: stopped before the end (deadline or abort); ` +
    'every file is either old or new, and the next sync completes the rest'
  );
}

/**
 * Missing images degrade the run (the posts are written without them), unless the config
 * says images.onError: fail. Each is told once: in the summary. Downloads left out by the
 * owner's own policy are no miss: a note, whatever images.onError says.
 */
export function recordImageMisses(
  ctx: CollectionContext,
  summary: CollectionSummary,
  misses: readonly ItemFailure[],
  leftOut: readonly ItemFailure[] = [],
): void {
  (ctx.collection.images.onError === 'fail' ? summary.failures : summary.imageFailures).push(...misses);
  summary.imagesMissing = misses.length;
  if (leftOut.length > 0) summary.leftOut = [...leftOut];
}
