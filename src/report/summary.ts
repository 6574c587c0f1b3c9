import type { Summary } from '../sync.js';

/** The one human line (and any failures under it) that ends every sync, for stderr. */
export function formatSummary(summary: Summary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const counts =
    `${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted, ` +
    `${summary.unchanged} unchanged, ${summary.failed} failed, ${summary.imagesDownloaded} images downloaded`;
  const lines = [`dropmark-sync: ${summary.ok ? 'done' : 'FAILED'}: ${counts} (${seconds} s)`];
  for (const c of summary.collections) {
    if (c.error) lines.push(`  error: ${c.error}`);
    for (const f of c.failures) {
      const what = f.itemId ? `item ${f.itemId}` : (f.file ?? c.endpoint);
      lines.push(`  failed: ${what}: ${f.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The `--json` object: the spec's keys first, then per-collection detail. */
export function summaryJson(summary: Summary): string {
  const { ok, created, updated, deleted, unchanged, failed, imagesDownloaded, files, durationMs, collections } = summary;
  return `${JSON.stringify({ ok, created, updated, deleted, unchanged, failed, imagesDownloaded, files, durationMs, collections })}\n`;
}
