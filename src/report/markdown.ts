import type { ChangeRecord, CollectionSummary, ImageChangeRecord, ItemFailure, Summary } from '../summary.js';
import { formatSize } from './diff.js';

/** Lists longer than this are folded into a <details> block. */
const FOLD_AFTER = 10;

/**
 * A Markdown report for a pull request body: totals, then per kind a table with the title
 * linked to the bookmarked page, the Dropmark edit link, the file, and for updates the keys
 * that changed. Deletions are flagged. Only values already free of secrets go in.
 */
export function renderReport(summary: Summary): string {
  const lines: string[] = [];
  const would = summary.dryRun ? 'would be ' : '';
  lines.push(`## Dropmark sync${summary.dryRun ? ' (dry run)' : ''}`, '');
  lines.push(
    `**${summary.created} created · ${summary.updated} updated · ${summary.deleted} deleted** · ` +
      `${summary.unchanged} unchanged · ${summary.skipped} skipped (locked) · ${summary.failed} failed · ` +
      `${summary.imagesDownloaded} images ${would}downloaded` +
      `${summary.imagesMissing ? ` · ${summary.imagesMissing} images missing` : ''}`,
    '',
  );
  if (summary.deleted > 0) {
    lines.push(
      '> [!WARNING]',
      `> ${summary.deleted} post(s) ${would}deleted because their items are gone from the Dropmark collection. ` +
        'Check that this is meant before merging.',
      '',
    );
  }
  if (!summary.ok) {
    lines.push('> [!CAUTION]', '> The sync did not complete cleanly: see "Failed" below.', '');
  }
  const many = summary.collections.length > 1;
  for (const c of summary.collections) {
    if (many) lines.push(`### ${escapeText(c.endpoint)}`, '');
    lines.push(...collectionSection(c, many ? '####' : '###'));
  }
  if (
    summary.created + summary.updated + summary.deleted + summary.failed === 0 &&
    summary.collections.every((c) => c.images.length === 0)
  ) {
    lines.push('Nothing changed.', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function collectionSection(c: CollectionSummary, h: string): string[] {
  // A titled table with its row count, or nothing when it has no rows.
  const block = (title: string, header: string[], rows: string[][]) =>
    rows.length ? section(`${h} ${title} (${rows.length})`, table(header, rows)) : [];
  const of = (kind: ChangeRecord['kind']) => c.changes.filter((r) => r.kind === kind);
  const postRow = (r: ChangeRecord) => [postLink(r), editLink(r), code(r.relPath)];
  const updateRow = (r: ChangeRecord) => [
    postLink(r),
    editLink(r),
    r.renamedFrom ? `${code(r.relPath)} (renamed from ${code(r.renamedFrom)})` : code(r.relPath),
    (r.changedKeys ?? []).map(code).join(', '),
  ];
  const failedWhat = (f: ItemFailure) => (f.itemId ? `item ${escapeText(f.itemId)}` : code(f.file ?? ''));
  return [
    ...(c.error ? [`${h} Error`, '', escapeText(c.error), ''] : []),
    ...block('Created', ['Post', 'Dropmark', 'File'], of('create').map(postRow)),
    ...block('Updated', ['Post', 'Dropmark', 'File', 'Changed'], of('update').map(updateRow)),
    ...block('⚠️ Deleted', ['Post', 'Dropmark', 'File'], of('delete').map(postRow)),
    ...block(
      'Skipped, locked',
      ['Post', 'File'],
      of('skip').map((r) => [escapeText(r.title), code(r.relPath)]),
    ),
    ...block(
      'Keys added by hand, kept as written',
      ['File', 'Keys (the profile writes them too, but not into this file)'],
      (c.keptKeys ?? []).map((k) => [code(k.file), k.keys.map(code).join(', ')]),
    ),
    ...block('Images', ['Image', 'Change', 'Size'], c.images.map(imageRow)),
    ...block(
      'Images missing',
      ['Item', 'Why'],
      c.imageFailures.map((f) => [failedWhat(f), escapeText(f.reason)]),
    ),
    ...block(
      'Failed',
      ['Item or file', 'Why'],
      c.failures.map((f) => [failedWhat(f), escapeText(f.reason)]),
    ),
  ];
}

function section(title: string, rows: string[]): string[] {
  const count = rows.length - 2;
  if (count <= FOLD_AFTER) return [title, '', ...rows, ''];
  return [title, '', `<details><summary>Show all ${count}</summary>`, '', ...rows, '', '</details>', ''];
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

const IMAGE_CHANGE: Record<ImageChangeRecord['kind'], string> = {
  create: 'new',
  update: 'replaced',
  delete: 'removed',
  move: 'moved',
  copy: 'copied',
};

function imageRow(i: ImageChangeRecord): string[] {
  const what = i.from ? `${i.kind === 'move' ? 'moved' : 'copied'} from ${code(i.from)}` : IMAGE_CHANGE[i.kind];
  return [code(i.relPath), what, formatSize(i.size)];
}

function postLink(r: ChangeRecord): string {
  const title = escapeText(r.title || '(untitled)');
  const url = safeUrl(r.link);
  return url ? `[${title}](${url})` : title;
}

function editLink(r: ChangeRecord): string {
  const url = safeUrl(r.editUrl);
  return url ? `[edit](${url})` : '';
}

/** Only http(s) URLs become links, with the characters that could end a Markdown link encoded. */
function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return u
      .toString()
      .replace(/[()<>"'\s|\\[\]`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/**
 * Text in a table cell: no table breaks, no HTML, no Markdown links or emphasis from feed data,
 * and no GitHub mention or reference, so the pull request notifies and cross-links no one.
 */
export function escapeText(text: string): string {
  return neutralizeAutolinks(
    neutralizeReferences(escapeHtml(text.replace(/[\r\n]+/g, ' ')).replace(/([\\`*_[\]|#~!])/g, '\\$1')),
  );
}

/**
 * GFM turns a bare `https://...`, `http://...` or `www....` in text into a live link (and a
 * link to an issue into a cross-reference in it). In feed text they stay text: a zero-width
 * space after the scheme's `:` or after `www` breaks the autolink, not what a reader sees.
 */
function neutralizeAutolinks(text: string): string {
  return text.replace(/\b(https?:|www)(?=[./])/gi, '$1&#8203;');
}

/**
 * `@user`, `@org/team`, `#123`, `owner/repo#123` and `GH-123` get a zero-width space (as the
 * entity `&#8203;`) after the `@`, the `#` or the `GH-`: the same visible text, but GitHub's
 * mention and reference filters, which run on the rendered text, no longer match. A backslash
 * (`\@`, `\#`) or `&#64;` does not stop them (github/markup#1168, github/cmark-gfm#181); the
 * zero-width space does, and is what Renovate (lib/util/markdown.ts sanitizeMarkdown) and
 * Dependabot (dependabot-core#3157, also for e-mail replies, which are plain text) insert.
 * The reference forms are those of GitHub's "Autolinked references and URLs" page.
 */
function neutralizeReferences(text: string): string {
  return text.replace(/[@#]|GH-(?=\d)/gi, '$&&#8203;');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
