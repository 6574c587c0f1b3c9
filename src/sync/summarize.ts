import { DropmarkSyncError } from '../errors.js';
import { changeRecords } from '../report/changes.js';
import { renderDiff } from '../report/diff.js';
import { redactText } from '../redact.js';
import type { FeedState } from '../state/feed-cache.js';
import { emptyCollectionSummary, type CollectionSummary, type ItemFailure } from '../summary.js';
import type { PassOutcome } from './apply-stage.js';
import type { CollectionPass } from './pass.js';
import type { CollectionContext } from './types.js';

const COUNTER = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/**
 * The one summary of a full pass, for a real run and a dry run alike: a change counts when
 * the outcome says its path was changed (a dry run's outcome lists every planned one).
 */
export function summarizePass(ctx: CollectionContext, pass: CollectionPass, outcome: PassOutcome): CollectionSummary {
  const summary = emptyCollectionSummary(ctx.feedUrl);
  const { postPlan, imagePlan } = pass;
  summary.changes = changeRecords(postPlan.changes, postPlan.skipped);
  summary.images = imagePlan.changes.map((c) => ({ kind: c.kind, relPath: c.relPath, size: c.size }));
  summary.skipped = postPlan.skipped.length;
  summary.unchanged = postPlan.unchanged;
  for (const change of postPlan.changes) {
    if (!outcome.done.has(change.relPath)) continue;
    summary[COUNTER[change.kind]]++;
    summary.files.push(change.relPath);
    if (change.kind === 'update' && change.renamedFrom && outcome.done.has(change.renamedFrom))
      summary.files.push(change.renamedFrom);
  }
  for (const change of imagePlan.changes) if (outcome.done.has(change.relPath)) summary.files.push(change.relPath);
  for (const file of pass.stateFiles) if (outcome.done.has(file.relPath)) summary.files.push(file.relPath);
  summarizeImages(ctx, pass, summary);
  summary.failures.push(...pass.posts.failures, ...outcome.failed.map((f) => ({ file: f.relPath, reason: f.reason })));
  summary.failed = summary.failures.length;
  if (ctx.options.dryRun && ctx.options.diff) {
    summary.diff = renderDiff(postPlan.changes, imagePlan.changes, pass.stateFiles, summary.wouldDownload);
  }
  summary.result = outcome.stopped ? stoppedResult(ctx) : resultOf(summary);
  if (outcome.stopped && summary.result === 'failed') summary.error = stoppedError(ctx);
  return summary;
}

function summarizeImages(ctx: CollectionContext, pass: CollectionPass, summary: CollectionSummary): void {
  const images = pass.images;
  if (!images) return;
  recordImageMisses(ctx, summary, images.misses);
  if (!ctx.options.dryRun) {
    summary.imagesDownloaded = images.mirrored.downloaded.size;
    return;
  }
  summary.wouldDownload = images.mirrored.wouldDownload.map((d) => ({
    relPath: `${ctx.imageDir}/${d.name}`,
    from: d.from,
    replaces: d.replaces,
  }));
  summary.imagesDownloaded = summary.wouldDownload.length;
  summary.files.push(...summary.wouldDownload.map((d) => d.relPath));
}

/**
 * Missing images degrade the run (the posts are written without them), unless the config
 * says images.onError: fail. Each is told once: in the summary.
 */
function recordImageMisses(ctx: CollectionContext, summary: CollectionSummary, misses: readonly ItemFailure[]): void {
  (ctx.collection.images.onError === 'fail' ? summary.failures : summary.imageFailures).push(...misses);
  summary.imagesMissing = misses.length;
}

function resultOf(summary: CollectionSummary): CollectionSummary['result'] {
  if (summary.failed > 0) return 'failed';
  return summary.imagesMissing > 0 ? 'degraded' : 'ok';
}

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

function stoppedResult(ctx: CollectionContext): CollectionSummary['result'] {
  return ctx.control.stopKind() === 'abort' ? 'failed' : 'stopped';
}

function stoppedError(ctx: CollectionContext): string {
  return (
    `${ctx.feedUrl}: stopped before the end (deadline or abort); ` +
    'every file is either old or new, and the next sync completes the rest'
  );
}
