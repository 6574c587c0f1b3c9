import { emptyCollectionSummary, type CollectionSummary, type ItemFailure } from '../summary.js';
import type { PassOutcome } from './apply-stage.js';
import { changeRecords, postTextChanges } from './change-records.js';
import type { CollectionPass } from './pass.js';
import { recordImageMisses, stoppedError, stoppedResult } from './summarize.js';
import type { CollectionContext } from './types.js';

const COUNTER = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/**
 * The one summary of a full pass, for a real run and a dry run alike: a change counts when
 * the outcome says its path was changed (a dry run's outcome lists every planned one).
 */
export function summarizePass(ctx: CollectionContext, pass: CollectionPass, outcome: PassOutcome): CollectionSummary {
  const summary = emptyCollectionSummary(ctx.feedUrl);
  const { postPlan } = pass;
  // Uploaded files are downloads like images: counted and listed with them, under their own folder.
  const downloads = [...pass.imagePlan.changes, ...pass.filePlan.changes];
  summary.changes = changeRecords(postPlan.changes, postPlan.skipped);
  summary.images = downloads.map((c) => ({
    kind: c.kind,
    relPath: c.relPath,
    size: c.size,
    ...('from' in c ? { from: c.from } : {}),
  }));
  summary.skipped = postPlan.skipped.length;
  if (pass.index.duplicates.length > 0) summary.duplicates = pass.index.duplicates;
  summary.unchanged = postPlan.unchanged;
  for (const change of postPlan.changes) {
    if (!outcome.done.has(change.relPath)) continue;
    summary[COUNTER[change.kind]]++;
    summary.files.push(change.relPath);
    if (change.kind === 'update' && change.renamedFrom && outcome.done.has(change.renamedFrom))
      summary.files.push(change.renamedFrom);
  }
  for (const change of downloads) {
    if (outcome.done.has(change.relPath)) summary.files.push(change.relPath);
    if (change.kind === 'move' && outcome.done.has(change.from)) summary.files.push(change.from);
  }
  for (const file of pass.stateFiles) if (outcome.done.has(file.relPath)) summary.files.push(file.relPath);
  summarizeImages(ctx, pass, summary);
  if (pass.posts.keptKeys.length > 0) summary.keptKeys = pass.posts.keptKeys;
  summary.failures.push(...pass.posts.failures, ...outcome.failed.map((f) => ({ file: f.relPath, reason: f.reason })));
  summary.failed = summary.failures.length;
  if (ctx.options.dryRun && ctx.options.diff) {
    summary.textChanges = [...postTextChanges(postPlan.changes), ...pass.stateFiles];
  }
  summary.result = outcome.stopped ? stoppedResult(ctx) : resultOf(summary);
  if (outcome.stopped && summary.result === 'failed') summary.error = stoppedError(ctx);
  return summary;
}

function summarizeImages(ctx: CollectionContext, pass: CollectionPass, summary: CollectionSummary): void {
  const targets = [pass.images, pass.files].filter((t) => t !== undefined);
  if (targets.length === 0) return;
  // Named by their titles too: a person knows a post by its title, not its id.
  const titles = new Map(pass.feed.items.map((i) => [i.id, i.name ?? '']));
  const titled = (f: ItemFailure) => {
    const title = f.itemId === undefined ? undefined : titles.get(f.itemId);
    return title ? { ...f, title } : f;
  };
  recordImageMisses(
    ctx,
    summary,
    targets.flatMap((t) => t.misses.map(titled)),
    targets.flatMap((t) => t.leftOut.map(titled)),
  );
  if (!ctx.options.dryRun) {
    summary.imagesDownloaded = targets.reduce((n, t) => n + t.mirrored.downloaded.size, 0);
    return;
  }
  summary.wouldDownload = targets.flatMap(({ target, mirrored }) =>
    mirrored.wouldDownload.map((d) => ({ relPath: `${target.relDir}/${d.name}`, from: d.from, replaces: d.replaces })),
  );
  summary.imagesDownloaded = summary.wouldDownload.length;
  const refused = targets.flatMap(({ target, mirrored }) =>
    mirrored.wouldRefuse.map((d) => ({ relPath: `${target.relDir}/${d.name}`, from: d.from, reason: d.reason })),
  );
  if (refused.length > 0) summary.wouldRefuse = refused;
  summary.files.push(...summary.wouldDownload.map((d) => d.relPath));
}

function resultOf(summary: CollectionSummary): CollectionSummary['result'] {
  if (summary.failed > 0) return 'failed';
  return summary.imagesMissing > 0 ? 'degraded' : 'ok';
}
