import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/markdown.js';
import { summaryJson } from '../../../src/report/summary-text.js';
import { emptyCollectionSummary, totals, type ChangeRecord, type Summary } from '../../../src/summary.js';

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
  return {
    ...totals([collection]),
    ok: true,
    result: 'ok',
    stopped: false,
    dryRun: false,
    startedAt: '2026-11-26T00:00:00.000Z',
    durationMs: 1,
    collections: [collection],
  };
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
      summary([
        record(1, {
          title: 'A | B [x](javascript:alert(1)) <script>x</script> *bold* `code`',
          link: 'javascript:alert(1)',
        }),
      ]),
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

describe('the Markdown report pings nobody', () => {
  /** GitHub's @mention, #123, owner/repo#123 and GH-123 forms (stricter than GitHub: any @ before a word character). */
  const PING = /@[A-Za-z0-9]|(?<!&)#\d|GH-\d/i;
  /** What a reader sees: the zero-width space and HTML entities decoded, Markdown backslash escapes removed. */
  const visible = (markdown: string) =>
    markdown
      .replace(/&#8203;/g, '')
      .replace(/\\(.)/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');

  const titles = [
    'cc @octocat and @github/security-team',
    'Thanks (@user)',
    '@user, see this',
    'Fixes #123',
    'Same as foo/bar#12',
    'GH-7 and gh-8',
    'Mail a@b.com',
  ];
  const reason = 'item 5: ask @octocat, see #9 and foo/bar#10';
  const error = 'feed refused: @github/security-team GH-42';
  const endpoint = 'https://x.dropmark.com/1.json?owner=@octocat#7';

  function hostileSummary(): Summary {
    const first = summary([
      ...titles.map((title, i) => record(i, { title })),
      record(50, { kind: 'skip', title: 'locked by @hubot #1' }),
    ]);
    const [collection] = first.collections;
    if (!collection) throw new Error('no collection in the summary');
    collection.failures.push({ itemId: '5', reason });
    collection.failed = 1;
    const second = { ...emptyCollectionSummary(endpoint), result: 'failed' as const, error };
    return { ...first, ...totals([collection, second]), ok: false, collections: [collection, second] };
  }

  it('holds no mention or issue reference anywhere', () => {
    const text = renderReport(hostileSummary());
    expect(text.match(PING)).toBeNull();
  });

  it('shows the same text once entities are decoded', () => {
    const text = visible(renderReport(hostileSummary()));
    for (const title of titles) expect(text).toContain(`[${title}](`);
    expect(text).toContain(`| item 5 | ${reason} |`);
    expect(text).toContain(`\n${error}\n`);
    expect(text).toContain(`### ${endpoint}\n`);
    expect(text).toContain('| locked by @hubot #1 |');
  });

  it('inserts the zero-width space entity after @ and # and in GH-', () => {
    const text = renderReport(summary([record(1, { title: '@octocat #12 GH-7' })]));
    expect(text).toContain('[@&#8203;octocat \\#&#8203;12 GH-&#8203;7](https://example.com/1)');
  });
});

describe('the Markdown report links nothing from feed text', () => {
  it('bare URLs and www. addresses in titles and failure reasons stay text (no GFM autolink)', () => {
    const s = summary([
      record(1, {
        title: 'see https://github.com/octo/repo/issues/1 and www.tracker.example/pixel.png',
        link: 'ftp://x',
      }),
    ]);
    const collection = s.collections[0] as (typeof s.collections)[number];
    collection.failures.push({ itemId: '2', reason: 'date "http://tracker.example/d.png" is not a date' });
    const text = renderReport(s);
    const row = text.split('\n').find((l) => l.includes('p1.md')) as string;
    expect(row).toContain(
      'see https:&#8203;//github&#8203;.com/octo/repo/issues/1 and www&#8203;.tracker&#8203;.example/pixel&#8203;.png',
    );
    expect(text).toContain('http:&#8203;//tracker&#8203;.example/d&#8203;.png');
    // What GFM's extended autolink would take: a scheme or www. right after a word boundary.
    for (const line of text.split('\n')) expect(line).not.toMatch(/(?<![\w(])(https?:\/\/|www\.)/);
  });
});

describe('the --json summary', () => {
  it('carries C1 controls and bidi overrides as \\u escapes: the same JSON, inert on a terminal', () => {
    const s = summary([record(1, { title: 'a\u009b2J\u009d0;T\u009c \u202eevil\u202c' })]);
    const text = summaryJson(s);
    expect(text).toContain('a\\u009b2J\\u009d0;T\\u009c \\u202eevil\\u202c');
    expect([...text].some((c) => /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(c))).toBe(false);
    expect(JSON.parse(text).collections[0].changes[0].title).toBe('a\u009b2J\u009d0;T\u009c \u202eevil\u202c');
  });
});
