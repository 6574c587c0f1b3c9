import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/markdown.js';
import { emptyCollectionSummary, totals, type ChangeRecord, type Summary } from '../../src/summary.js';

function summary(changes: ChangeRecord[]): Summary {
  const count = (k: ChangeRecord['kind']) => changes.filter((c) => c.kind === k).length;
  const collection = {
    ...emptyCollectionSummary('https://shah.dropmark.com/616548.json'),
    created: count('create'),
    updated: count('update'),
    deleted: count('delete'),
    skipped: count('skip'),
    files: changes.map((c) => c.relPath),
    changes,
  };
  return { ...totals([collection]), ok: true, stopped: false, dryRun: false, startedAt: '2026-11-26T00:00:00.000Z', durationMs: 1, collections: [collection] };
}

const record = (i: number, over: Partial<ChangeRecord> = {}): ChangeRecord => ({
  kind: 'create',
  relPath: `content/post/p${i}.md`,
  itemId: String(i),
  title: `Post ${i}`,
  link: `https://example.com/${i}`,
  editUrl: `https://x.dropmark.com/1/${i}`,
  ...over,
});

describe('the Markdown report', () => {
  it('escapes feed text so it cannot break the table or inject links and HTML', () => {
    const text = renderReport(
      summary([record(1, { title: 'A | B [x](javascript:alert(1)) <script>x</script> *bold* `code`', link: 'javascript:alert(1)' })]),
    );
    const row = text.split('\n').find((l) => l.includes('p1.md')) as string;
    expect(row.split(' | ')).toHaveLength(3);
    expect(row).not.toContain('<script>');
    expect(row).toContain('&lt;script&gt;');
    expect(row).not.toMatch(/[^\\]\]\(javascript:/);
    expect(row).toContain('A \\| B \\[x\\]');
  });

  it('encodes characters that would end a Markdown link', () => {
    const text = renderReport(summary([record(2, { link: 'https://example.com/a_(b) c' })]));
    expect(text).toContain('(https://example.com/a_%28b%29%20c)');
  });

  it('folds lists longer than ten rows into <details>, and flags deletions', () => {
    const changes = Array.from({ length: 12 }, (_, i) => record(i));
    changes.push(record(99, { kind: 'delete' }));
    const text = renderReport(summary(changes));
    expect(text).toContain('### Created (12)\n\n<details><summary>Show all 12</summary>');
    expect(text).toContain('> [!WARNING]\n> 1 post(s) deleted');
    expect(text).toContain('### ⚠️ Deleted (1)\n\n| Post |');
  });
});
