import { duplicateText } from '../site/claims.js';
import {
  collectionCounts,
  keptKeysMessage,
  partialFeedMessage,
  type CollectionSummary,
  type ItemFailure,
  type Summary,
} from '../summary.js';
import { visibleControls } from '../text/terminal.js';

const NOTE: Partial<Record<CollectionSummary['result'], string>> = {
  'not-modified': 'feed not modified (HTTP 304), nothing to do',
  'unchanged-feed': 'feed unchanged since the last sync, nothing to do',
  stopped: 'stopped on request before the end; the next sync completes the rest',
};

/** The one human line (and any notes and failures under it) that ends every sync, for stderr. */
export function formatSummary(summary: Summary): string {
  const lines = [summaryLine(summary)];
  for (const c of summary.collections) lines.push(...collectionLines(c));
  // Reasons, errors and paths carry feed text: no control or bidi character reaches the terminal.
  return `${lines.map(visibleControls).join('\n')}\n`;
}

/** `dropmark-sync: <state>: <counts> (<seconds> s)`: the first line, and the JSON record's message. */
function summaryLine(summary: Summary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const would = summary.dryRun ? 'would be ' : '';
  const counts =
    `${summary.created} ${would}created, ${summary.updated} ${would}updated, ${summary.deleted} ${would}deleted, ` +
    `${summary.unchanged} unchanged, ${summary.skipped ? `${summary.skipped} skipped (locked), ` : ''}` +
    `${summary.failed} failed, ${summary.imagesDownloaded} images ${would}downloaded` +
    `${summary.imagesMissing ? `, ${summary.imagesMissing} images missing` : ''}`;
  // A failure or a stop outweighs the dry run's note; a dry run's missing images show in the counts.
  const state =
    summary.result === 'failed' || summary.result === 'stopped' || !summary.dryRun
      ? { ok: 'done', degraded: 'degraded', failed: 'FAILED', stopped: 'stopped' }[summary.result]
      : 'dry run, nothing written';
  return `dropmark-sync: ${state}: ${counts} (${seconds} s)`;
}

function collectionLines(c: CollectionSummary): string[] {
  const lines: string[] = [];
  const note = NOTE[c.result];
  if (note) lines.push(`  ${c.endpoint}: ${note}`);
  if (c.error) lines.push(`  error: ${c.error}`);
  if (c.partialFeed) lines.push(`  partial feed: ${partialFeedMessage(c.partialFeed)}`);
  for (const r of c.changes) {
    if (r.kind === 'skip') lines.push(`  skipped: ${r.relPath} is locked (dropmark.locked: true)`);
    if (r.renamedFrom) lines.push(`  renamed: ${r.renamedFrom} -> ${r.relPath}`);
  }
  for (const d of c.duplicates ?? []) lines.push(`  left alone: ${duplicateText(d)}`);
  for (const k of c.keptKeys ?? []) lines.push(`  kept: ${keptKeysMessage(k)}`);
  for (const f of c.imageFailures) lines.push(`  image missing: ${itemText(f)}: ${f.reason}`);
  for (const f of c.leftOut ?? []) lines.push(`  left out by policy: ${itemText(f)}: ${f.reason}`);
  for (const f of c.failures) {
    const what = f.itemId ? `item ${f.itemId}` : (f.file ?? c.endpoint);
    lines.push(`  failed: ${what}: ${f.reason}`);
  }
  return lines;
}

/** `item 123 "Title"`: the id to search for, the title to recognise it by. */
function itemText(f: ItemFailure): string {
  return `item ${f.itemId ?? ''}${f.title ? ` ${JSON.stringify(f.title)}` : ''}`;
}

/** The `--json` object: the spec's keys first, then per-collection detail. */
export function summaryJson(summary: Summary): string {
  return `${safeJson(summaryObject(summary))}\n`;
}

/**
 * The summary as the last record of a JSON log stream: pino's shape (level, time, msg) with
 * every count and every failure, so a log pipeline needs no other line.
 */
export function summaryRecord(summary: Summary, level: 'info' | 'warn' | 'error', time: number): string {
  const msg = visibleControls(summaryLine(summary));
  const { files: _files, collections: _collections, ...counts } = summaryObject(summary);
  // Counts and what went wrong; the changed paths and change records belong to --json and the
  // report (a 10k-item first sync would make one log line of megabytes).
  const collections = summary.collections.map((c) => ({
    ...collectionCounts(c),
    failures: c.failures,
    imageFailures: c.imageFailures,
    ...(c.leftOut ? { leftOut: c.leftOut } : {}),
    ...(c.duplicates ? { duplicates: c.duplicates } : {}),
  }));
  const levelNumber = { info: 30, warn: 40, error: 50 }[level];
  return `${safeJson({ level: levelNumber, time, msg, ...counts, changedFiles: summary.files.length, collections })}\n`;
}

/** The spec's keys, in the order the `--json` object gives them. */
const SPEC_KEYS = [
  'ok',
  'result',
  'stopped',
  'dryRun',
  'created',
  'updated',
  'deleted',
  'unchanged',
  'skipped',
  'failed',
  'imagesDownloaded',
  'imagesMissing',
  'files',
  'startedAt',
  'durationMs',
] as const satisfies readonly (keyof Summary)[];

function summaryObject(summary: Summary): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SPEC_KEYS) out[key] = summary[key];
  // The texts are for the diff people read; the JSON carries the records instead.
  out['collections'] = summary.collections.map(({ textChanges: _texts, ...rest }) => rest);
  return out;
}

/**
 * JSON.stringify escapes C0 but leaves C1 controls and bidi overrides raw; as \u escapes the
 * JSON reads the same and cannot act on a terminal it is printed to.
 */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
