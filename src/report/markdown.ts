import type { Duplicate } from '../site/claims.js';
import {
  partialFeedMessage,
  type ChangeRecord,
  type CollectionSummary,
  type ImageChangeRecord,
  type ItemFailure,
  type Summary,
} from '../summary.js';
import { formatSize } from './diff.js';
import { code, dropmarkEditUrl, inert, pageUrl, TITLE_MAX } from './markdown-text.js';

/** Lists longer than this are folded into a <details> block. */
const FOLD_AFTER = 10;

/**
 * What a report may take by default. GitHub refuses a pull request body over 65,536
 * characters, and the action that opens the pull request cuts it there; this leaves room for
 * what a workflow adds around the report.
 */
const REPORT_BUDGET = 60_000;

/** Lengths of the other feed-derived texts, as a title's: a long one is cut, with an ellipsis. */
const REASON_MAX = 500;
const ERROR_MAX = 2000;
const ENDPOINT_MAX = 300;
const KEYS_MAX = 500;

export interface ReportOptions {
  /** Characters the report may take (default REPORT_BUDGET); Infinity for the full report. */
  budget?: number;
  /** The full report's file name, for the line that says rows are left out. */
  fullReport?: string;
}

/** One titled table; `kept` rows of it are shown, and a line says how many more are not. */
interface Table {
  title: string;
  header: string[];
  rows: string[];
  /** Deletions get their rows first: a reviewer must see what goes. */
  first: boolean;
  kept: number;
  /** A line under the title: what the rows mean, and what a person may do. */
  note?: string;
}

interface Section {
  intro: string[];
  tables: Table[];
}

/**
 * A Markdown report for a pull request body: totals, then per collection its error and a
 * table per kind of change, deletions first (flagged): the title linked to the bookmarked page,
 * the Dropmark edit link, the file, and for updates the keys that changed. Only values already
 * free of secrets go in; every text from the feed is inert (markdown-text.ts). The report stays
 * within `budget` characters: the totals and the deletions first, then the other tables in
 * order; a table whose rows do not all fit says how many are left out and where the full
 * report is (the same rendering with no budget, which the caller writes beside it).
 */
export function renderReport(summary: Summary, options: ReportOptions = {}): string {
  const budget = options.budget ?? REPORT_BUDGET;
  const where = options.fullReport === undefined ? 'the file ending in .full.md' : code(options.fullReport);
  const head = headLines(summary);
  const sections = summary.collections.map((c) => collectionSection(c, summary.collections.length > 1));
  const tail = nothingChanged(summary) ? ['Nothing changed.', ''] : [];
  const compose = () => [...head, ...sections.flatMap((s) => sectionLines(s, where)), ...tail];
  const tables = sections.flatMap((s) => s.tables);
  if (Number.isFinite(budget)) {
    // Every table empty, with its longest "not shown" line: what no row can shrink; then each table's frame.
    const frame = tables.reduce((n, t) => n + tableFrame(t).length + 1, joined(compose()).length);
    allot([...tables.filter((t) => t.first), ...tables.filter((t) => !t.first)], budget - frame);
  } else {
    for (const t of tables) t.kept = t.rows.length;
  }
  return cutToBudget(joined(compose()), budget, where);
}

/**
 * The last resort, for a report whose frame alone is longer than the budget (a great many
 * collections, each with its error and headings): whole lines up to it, and a line that says so.
 */
function cutToBudget(text: string, budget: number, where: string): string {
  if (text.length <= budget) return text;
  const note = `\n\nThe rest of the report is not shown; the full report is ${where}, beside this report.\n`;
  return text.slice(0, text.lastIndexOf('\n', budget - note.length)) + note;
}

/** The full report's file: the report's own name with `.full.md` (`report.md` -> `report.full.md`). */
export function fullReportPath(reportFile: string): string {
  return `${reportFile.replace(/\.md$/i, '')}.full.md`;
}

function joined(lines: string[]): string {
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Rows to tables in the order given, each row with its line break, until `room` is spent. */
function allot(tables: Table[], room: number): void {
  let left = room;
  for (const table of tables) {
    for (const row of table.rows) {
      if (row.length + 1 > left) return;
      left -= row.length + 1;
      table.kept++;
    }
  }
}

function headLines(summary: Summary): string[] {
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
  return lines;
}

function nothingChanged(summary: Summary): boolean {
  return (
    summary.created + summary.updated + summary.deleted + summary.failed === 0 &&
    summary.collections.every((c) => c.images.length === 0)
  );
}

function collectionSection(c: CollectionSummary, many: boolean): Section {
  const h = many ? '####' : '###';
  const of = (kind: ChangeRecord['kind']) => c.changes.filter((r) => r.kind === kind);
  const why = (f: ItemFailure) => [failedWhat(f), inert(f.reason, REASON_MAX)];
  const table = (title: string, header: string[], rows: string[][], first = false, note?: string): Table[] =>
    rows.length
      ? [
          {
            title: `${h} ${title} (${rows.length})`,
            header,
            rows: rows.map(row),
            first,
            kept: 0,
            ...(note ? { note } : {}),
          },
        ]
      : [];
  return {
    intro: [
      ...(many ? [`### ${inert(c.endpoint, ENDPOINT_MAX)}`, ''] : []),
      ...(c.error ? [`${h} Error`, '', inert(c.error, ERROR_MAX), ''] : []),
      ...(c.partialFeed ? [`${h} ⚠️ Partial feed`, '', partialFeedMessage(c.partialFeed), ''] : []),
    ],
    tables: [
      ...table('⚠️ Deleted', ['Post', 'Dropmark', 'File'], of('delete').map(postRow), true),
      ...table('Created', ['Post', 'Dropmark', 'File'], of('create').map(postRow)),
      ...table('Updated', ['Post', 'Dropmark', 'File', 'Changed'], of('update').map(updateRow)),
      ...table(
        'Left alone: copies',
        ['File', 'Claims', 'The item’s file'],
        (c.duplicates ?? []).map(duplicateRow),
        false,
        'Each file claims an item whose file, the one the sync updates, is another one; it is never updated or ' +
          'deleted. Remove its `dropmark.editURL` line if it is a copy meant to stay.',
      ),
      ...table(
        'Skipped, locked',
        ['Post', 'File'],
        of('skip').map((r) => [inert(r.title, TITLE_MAX), code(r.relPath)]),
      ),
      ...table(
        'Keys added by hand, kept as written',
        ['File', 'Keys (the profile writes them too, but not into this file)'],
        (c.keptKeys ?? []).map((k) => [code(k.file), k.keys.map((key) => code(key, 100)).join(', ')]),
      ),
      ...table('Images', ['Image', 'Change', 'Size'], c.images.map(imageRow)),
      ...table('Images missing', ['Item', 'Why'], c.imageFailures.map(why)),
      ...table('Left out by policy', ['Item', 'Why'], (c.leftOut ?? []).map(why), false, LEFT_OUT_NOTE),
      ...table('Failed', ['Item or file', 'Why'], c.failures.map(why)),
    ],
  };
}

function sectionLines(section: Section, where: string): string[] {
  return [...section.intro, ...section.tables.flatMap((t) => tableLines(t, where))];
}

/** A table with its first `kept` rows (folded when many), and a line for the rows left out. */
function tableLines(t: Table, where: string): string[] {
  const left = t.rows.length - t.kept;
  const title = t.note === undefined ? [t.title] : [t.title, '', t.note];
  const more = left > 0 ? [`${left} more rows not shown; the full report is ${where}, beside this report.`, ''] : [];
  if (t.kept === 0) return [...title, '', ...more];
  const rows = [...tableHead(t), ...t.rows.slice(0, t.kept)];
  if (t.kept <= FOLD_AFTER) return [...title, '', ...rows, '', ...more];
  const summary = left > 0 ? `Show ${t.kept} of ${t.rows.length}` : `Show all ${t.kept}`;
  return [...title, '', `<details><summary>${summary}</summary>`, '', ...rows, '', '</details>', '', ...more];
}

function tableHead(t: Table): string[] {
  return [`| ${t.header.join(' | ')} |`, `|${t.header.map(() => '---').join('|')}|`];
}

/** What a table's rows bring with them at most: its head, a fold around them, the blank lines. */
function tableFrame(t: Table): string {
  const n = t.rows.length;
  return [...tableHead(t), `<details><summary>Show ${n} of ${n}</summary>`, '', '', '</details>', '', ''].join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function postRow(r: ChangeRecord): string[] {
  return [postLink(r), editLink(r), code(r.relPath)];
}

function updateRow(r: ChangeRecord): string[] {
  const file = r.renamedFrom ? `${code(r.relPath)} (renamed from ${code(r.renamedFrom)})` : code(r.relPath);
  return [postLink(r), editLink(r), file, keyList(r.changedKeys ?? [])];
}

/** The changed keys as code, as many as fit in KEYS_MAX characters, then an ellipsis. */
function keyList(keys: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const key of keys) {
    const item = code(key, 100);
    if (length + item.length > KEYS_MAX) return `${shown.join(', ')}, …`;
    shown.push(item);
    length += item.length + 2;
  }
  return shown.join(', ');
}

const LEFT_OUT_NOTE =
  'The config says not to mirror these (images.svg, files.types): their posts are written without them, ' +
  'and the run is not degraded by them.';

/** An item, by its title and id, or a file. */
function failedWhat(f: ItemFailure): string {
  return f.itemId ? itemName(f.itemId, f.title) : code(f.file ?? '');
}

/** An item as a person knows it: its title, then its id (what the log and Dropmark search by). */
function itemName(itemId: string, title: string | undefined): string {
  const id = `item ${inert(itemId, 40)}`;
  return title ? `${inert(title, TITLE_MAX)} (${id})` : id;
}

function duplicateRow(d: Duplicate): string[] {
  const gone = d.itemGone ? ' (no longer in the feed; both left alone)' : '';
  return [code(d.file), `item ${inert(d.itemId, 40)}${gone}`, code(d.toolFile)];
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
  const title = inert(r.title || '(untitled)', TITLE_MAX);
  const url = pageUrl(r.link);
  return url ? `[${title}](${url})` : title;
}

/** `[edit]` to the item's page on Dropmark; any other URL there is shown as inert text. */
function editLink(r: ChangeRecord): string {
  const url = dropmarkEditUrl(r.editUrl, r.itemId);
  return url ? `[edit](${url})` : inert(r.editUrl, TITLE_MAX);
}
