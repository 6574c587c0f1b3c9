import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/markdown.js';
import {
  emptyCollectionSummary,
  type ChangeRecord,
  type CollectionSummary,
  type Summary,
} from '../../../src/summary.js';
import { gfmLinks } from '../../support/gfm.js';
import { summaryOf } from '../../support/summaries.js';

const A = 'https://shah.dropmark.com/616548.json';
const B = 'https://shah.dropmark.com/700000.json';

const run = summaryOf;

const collection = (endpoint: string, over: Partial<CollectionSummary> = {}): CollectionSummary => ({
  ...emptyCollectionSummary(endpoint),
  ...over,
});

describe('renderReport: the whole report, written out', () => {
  it('a dry run over two collections: every section, deletions first, under the endpoint', () => {
    const first = collection(A, {
      created: 1,
      updated: 2,
      deleted: 1,
      skipped: 1,
      unchanged: 30,
      changes: [
        {
          kind: 'create',
          relPath: 'content/post/new.md',
          itemId: '1',
          title: 'New post',
          link: 'https://example.com/new',
          editUrl: 'https://shah.dropmark.com/616548/1',
        },
        {
          kind: 'update',
          relPath: 'content/post/b.md',
          itemId: '2',
          title: '',
          link: 'mailto:x@example.com',
          editUrl: 'not a url',
          renamedFrom: 'content/post/a.md',
          changedKeys: ['slug', 'title'],
        },
        {
          kind: 'update',
          relPath: 'content/post/c|d`e.md',
          itemId: '3',
          title: 'Keys unknown',
          link: 'http://example.com/c',
          editUrl: 'https://shah.dropmark.com/616548/3',
        },
        {
          kind: 'delete',
          relPath: 'content/post/gone.md',
          itemId: '4',
          title: 'Gone',
          link: 'https://example.com/gone',
          editUrl: 'https://shah.dropmark.com/616548/4',
        },
        {
          kind: 'skip',
          relPath: 'content/post/locked.md',
          itemId: '5',
          title: 'Locked <b>',
          link: 'https://example.com/locked',
          editUrl: 'https://shah.dropmark.com/616548/5',
        },
      ],
      images: [
        { kind: 'create', relPath: 'static/img/a.jpg', size: 1023 },
        { kind: 'update', relPath: 'static/img/b.png', size: 1024 },
        { kind: 'delete', relPath: 'static/img/c.gif', size: 1536 },
      ],
      imageFailures: [{ itemId: '6', reason: 'image https://cdn.example/x.jpg: HTTP 404' }],
      imagesMissing: 1,
    });
    const second = collection(B, {
      result: 'failed',
      error: 'GET https://shah.dropmark.com/700000.json: HTTP 500\nretried',
      failed: 2,
      failures: [
        { itemId: '7', reason: 'date "x" is not a date' },
        { file: 'content/post/broken.md', reason: 'YAML *broken*' },
      ],
    });
    const text = renderReport(run([first, second], { dryRun: true, ok: false, imagesDownloaded: 2, imagesMissing: 1 }));
    expect(text).toBe(
      [
        '## Dropmark sync (dry run)',
        '',
        '**1 created · 2 updated · 1 deleted** · 30 unchanged · 1 skipped (locked) · 2 failed · ' +
          '2 images would be downloaded · 1 images missing',
        '',
        '> [!WARNING]',
        '> 1 post(s) would be deleted because their items are gone from the Dropmark collection. ' +
          'Check that this is meant before merging.',
        '',
        '> [!CAUTION]',
        '> The sync did not complete cleanly: see "Failed" below.',
        '',
        '### https:&#8203;//shah&#8203;.dropmark&#8203;.com/616548&#8203;.json',
        '',
        '#### ⚠️ Deleted (1)',
        '',
        '| Post | Dropmark | File |',
        '|---|---|---|',
        '| [Gone](https://example.com/gone) | [edit](https://shah.dropmark.com/616548/4) | `content/post/gone.md` |',
        '',
        '#### Created (1)',
        '',
        '| Post | Dropmark | File |',
        '|---|---|---|',
        '| [New post](https://example.com/new) | [edit](https://shah.dropmark.com/616548/1) | `content/post/new.md` |',
        '',
        '#### Updated (2)',
        '',
        '| Post | Dropmark | File | Changed |',
        '|---|---|---|---|',
        '| (untitled) | not a url | `content/post/b.md` (renamed from `content/post/a.md`) | `slug`, `title` |',
        '| [Keys unknown](http://example.com/c) | [edit](https://shah.dropmark.com/616548/3) | ' +
          "`content/post/c\\|d'e.md` |  |",
        '',
        '#### Skipped, locked (1)',
        '',
        '| Post | File |',
        '|---|---|',
        '| Locked &lt;b&gt; | `content/post/locked.md` |',
        '',
        '#### Images (3)',
        '',
        '| Image | Change | Size |',
        '|---|---|---|',
        '| `static/img/a.jpg` | new | 1023 B |',
        '| `static/img/b.png` | replaced | 1.0 kB |',
        '| `static/img/c.gif` | removed | 1.5 kB |',
        '',
        '#### Images missing (1)',
        '',
        '| Item | Why |',
        '|---|---|',
        '| item 6 | image https:&#8203;//cdn&#8203;.example/x&#8203;.jpg:&#8203; HTTP 404 |',
        '',
        '### https:&#8203;//shah&#8203;.dropmark&#8203;.com/700000&#8203;.json',
        '',
        '#### Error',
        '',
        'GET https:&#8203;//shah&#8203;.dropmark&#8203;.com/700000&#8203;.json:&#8203; HTTP 500 retried',
        '',
        '#### Failed (2)',
        '',
        '| Item or file | Why |',
        '|---|---|',
        '| item 7 | date "x" is not a date |',
        '| `content/post/broken.md` | YAML \\*broken\\* |',
        '',
      ].join('\n'),
    );
  });

  it('a real run of one collection with nothing to do: no endpoint heading, no warning, "Nothing changed."', () => {
    expect(renderReport(run([collection(A, { unchanged: 41 })]))).toBe(
      '## Dropmark sync\n' +
        '\n' +
        '**0 created · 0 updated · 0 deleted** · 41 unchanged · 0 skipped (locked) · 0 failed · ' +
        '0 images downloaded\n' +
        '\n' +
        'Nothing changed.\n',
    );
  });

  it('a run whose only change is an image says so, and not "Nothing changed."', () => {
    const text = renderReport(
      run([collection(A, { images: [{ kind: 'create', relPath: 'static/img/a.jpg', size: 2_097_152 }] })]),
    );
    expect(text).toBe(
      '## Dropmark sync\n' +
        '\n' +
        '**0 created · 0 updated · 0 deleted** · 0 unchanged · 0 skipped (locked) · 0 failed · ' +
        '0 images downloaded\n' +
        '\n' +
        '### Images (1)\n' +
        '\n' +
        '| Image | Change | Size |\n' +
        '|---|---|---|\n' +
        '| `static/img/a.jpg` | new | 2.0 MB |\n',
    );
  });

  it('"Nothing changed." only when created, updated, deleted and failed are all zero and no image changed', () => {
    const nothing = (over: Partial<Summary>, images = false) =>
      renderReport(
        run([collection(A, images ? { images: [{ kind: 'delete', relPath: 'i.jpg', size: 1 }] } : {})], over),
      ).includes('Nothing changed.');
    expect(nothing({})).toBe(true);
    expect(nothing({}, true)).toBe(false);
    expect(nothing({ created: 1 })).toBe(false);
    expect(nothing({ updated: 1 })).toBe(false);
    expect(nothing({ deleted: 1 })).toBe(false);
    expect(nothing({ failed: 1 })).toBe(false);
    // Counts that would cancel out if one were subtracted.
    expect(nothing({ created: 1, updated: 1 })).toBe(false);
    expect(nothing({ created: 1, deleted: 1 })).toBe(false);
    expect(nothing({ created: 1, failed: 1 })).toBe(false);
    expect(nothing({ unchanged: 5, skipped: 2, imagesDownloaded: 3 })).toBe(true);
    // Every collection is looked at, not one of them.
    const two = run([collection(A), collection(B, { images: [{ kind: 'create', relPath: 'i.jpg', size: 1 }] })]);
    expect(renderReport(two)).not.toContain('Nothing changed.');
  });
});

describe('renderReport: folding long lists', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'create' as const,
      relPath: `p${i}.md`,
      itemId: String(i),
      title: `P${i}`,
      link: '',
      editUrl: '',
    }));
  it.each([
    [10, false],
    [11, true],
  ])('%i rows: folded %s', (n, folded) => {
    const text = renderReport(run([collection(A, { created: n, changes: rows(n) })]));
    expect(text.includes(`### Created (${n})\n\n<details><summary>Show all ${n}</summary>\n\n| Post |`)).toBe(folded);
    expect(text.includes(`### Created (${n})\n\n| Post |`)).toBe(!folded);
    if (folded) expect(text).toContain(`| P10 |  | \`p10.md\` |\n\n</details>\n`);
  });

  it('a folded list is followed by a blank line before the next section', () => {
    const changes = [
      ...rows(11),
      { kind: 'update' as const, relPath: 'u.md', itemId: '99', title: 'U', link: '', editUrl: '' },
    ];
    const text = renderReport(run([collection(A, { created: 11, updated: 1, changes })]));
    expect(text).toContain('| P10 |  | `p10.md` |\n\n</details>\n\n### Updated (1)\n');
  });
});

describe('renderReport: links', () => {
  const rowOf = (link: string, editUrl = '', itemId = '1') =>
    renderReport(
      run([collection(A, { changes: [{ kind: 'create', relPath: 'p.md', itemId, title: 'T', link, editUrl }] })]),
    )
      .split('\n')
      .find((l) => l.includes('`p.md`'));
  it.each([
    ['https://example.com/a', '| [T](https://example.com/a) |  | `p.md` |'],
    ['http://example.com/a', '| [T](http://example.com/a) |  | `p.md` |'],
    ['ftp://example.com/a', '| T |  | `p.md` |'],
    ['javascript:alert(1)', '| T |  | `p.md` |'],
    ['no url', '| T |  | `p.md` |'],
    [
      'https://example.com/a_(b)<c>"d\'e|f\\g[h]i`j k',
      '| [T](https://example.com/a_%28b%29%3Cc%3E%22d%27e%7Cf/g%5Bh%5Di%60j%20k) |  | `p.md` |',
    ],
  ])('the title links to %s', (link, row) => expect(rowOf(link)).toBe(row));

  it('a URL too long for a row links nothing: the title stands alone', () => {
    expect(rowOf(`https://example.com/${'a'.repeat(1981)}`)).toBe('| T |  | `p.md` |');
    expect(rowOf(`https://example.com/${'a'.repeat(1980)}`)).toBe(
      `| [T](https://example.com/${'a'.repeat(1980)}) |  | \`p.md\` |`,
    );
  });

  it.each([
    ['https://shah.dropmark.com/616548/1', '[edit](https://shah.dropmark.com/616548/1)'],
    ['https://dropmark.com/1', '[edit](https://dropmark.com/1)'],
    // Feeds give the item's page as http: it is linked as https.
    ['http://radhikan.dropmark.com/616548/1', '[edit](https://radhikan.dropmark.com/616548/1)'],
    ['HTTPS://Shah.DropMark.com/616548/1', '[edit](https://shah.dropmark.com/616548/1)'],
  ])('%s is an edit link', (editUrl, cell) => {
    expect(rowOf('', editUrl)).toBe(`| T | ${cell} | \`p.md\` |`);
  });

  it.each([
    ['https://evil.example/616548/1', 'https:&#8203;//evil&#8203;.example/616548/1'],
    ['https://dropmark.com.evil.example/1', 'https:&#8203;//dropmark&#8203;.com&#8203;.evil&#8203;.example/1'],
    ['https://evildropmark.com/1', 'https:&#8203;//evildropmark&#8203;.com/1'],
    [
      'https://evil.example/#.dropmark.com/1',
      'https:&#8203;//evil&#8203;.example/\\#&#8203;&#8203;.dropmark&#8203;.com/1',
    ],
    ['https://shah.dropmark.com/616548/12', 'https:&#8203;//shah&#8203;.dropmark&#8203;.com/616548/12'],
    ['https://shah.dropmark.com/616548/1?x=1', 'https:&#8203;//shah&#8203;.dropmark&#8203;.com/616548/1?x=1'],
    ['https://shah.dropmark.com/1#top', 'https:&#8203;//shah&#8203;.dropmark&#8203;.com/1\\#&#8203;top'],
    ['https://u:p@shah.dropmark.com/1', 'https:&#8203;//u:&#8203;p@&#8203;shah&#8203;.dropmark&#8203;.com/1'],
    ['https://shah.dropmark.com:8443/1', 'https:&#8203;//shah&#8203;.dropmark&#8203;.com:&#8203;8443/1'],
    ['ftp://shah.dropmark.com/1', 'ftp:&#8203;//shah&#8203;.dropmark&#8203;.com/1'],
    ['javascript:alert(1)//shah.dropmark.com/1', 'javascript:&#8203;alert(1)//shah&#8203;.dropmark&#8203;.com/1'],
    ['not a url', 'not a url'],
  ])('%s is no edit link, only inert text', (editUrl, cell) => {
    expect(rowOf('', editUrl)).toBe(`| T | ${cell} | \`p.md\` |`);
  });

  it('an edit link must end in the id of its own item', () => {
    expect(rowOf('', 'https://shah.dropmark.com/616548/1', '2')).toBe(
      '| T | https:&#8203;//shah&#8203;.dropmark&#8203;.com/616548/1 | `p.md` |',
    );
  });
});

describe('escapeText in cells', () => {
  const cell = (title: string) =>
    renderReport(
      run([collection(A, { changes: [{ kind: 'skip', relPath: 'p.md', itemId: '1', title, link: '', editUrl: '' }] })]),
    )
      .split('\n')
      .find((l) => l.endsWith('| `p.md` |'));
  it.each([
    ['line\r\n\r\nbreaks\nfolded', '| line breaks folded | `p.md` |'],
    ['a & b <i> c > d', '| a &amp; b &lt;i&gt; c &gt; d | `p.md` |'],
    ['\\ ` * _ [ ] | # ~ !', '| \\\\ \\` \\* \\_ \\[ \\] \\| \\#&#8203; \\~ \\! | `p.md` |'],
  ])('%j', (title, row) => expect(cell(title)).toBe(row));
});

describe('a failure that names neither an item nor a file', () => {
  it('shows an empty file cell', () => {
    const text = renderReport(run([collection(A, { failed: 1, failures: [{ reason: 'something' }] })], { failed: 1 }));
    expect(text).toContain('| `` | something |');
  });
});

describe('a file name with a line break (a file of a cloned site)', () => {
  it('stays in its cell: the row holds, and nothing after the break becomes Markdown', () => {
    const file = 'content/post/a\n\n@acme/security https://evil.example/x\n.md';
    const text = renderReport(run([collection(A, { failed: 1, failures: [{ file, reason: 'x' }] })], { failed: 1 }));
    expect(text).toContain('| `content/post/a @acme/security https://evil.example/x .md` | x |\n');
    expect(gfmLinks(text)).toEqual([]);
  });
});

describe('renderReport: feed text is inert as GitHub renders it', () => {
  // Each form GitHub turns into a link, a mention or a reference (the GFM spec's autolinks
  // extension, cmark-gfm's scheme scan after any letters, GitHub's own passes), as the report
  // writes it: a zero-width space after every `:`, `@`, `#` and `GH-`, before every `.`.
  const HOSTILE: [string, string][] = [
    ['x_https://evil.example/a', 'x\\_https:&#8203;//evil&#8203;.example/a'],
    ['1https://evil.example', '1https:&#8203;//evil&#8203;.example'],
    ['_www.evil.example', '\\_www&#8203;.evil&#8203;.example'],
    ['(www.evil.example/a)', '(www&#8203;.evil&#8203;.example/a)'],
    ['~https://evil.example~', '\\~https:&#8203;//evil&#8203;.example\\~'],
    ['ftp://evil.example', 'ftp:&#8203;//evil&#8203;.example'],
    ['HTTPS://X', 'HTTPS:&#8203;//X'],
    ['http://127.0.0.1:8080/a', 'http:&#8203;//127&#8203;.0&#8203;.0&#8203;.1:&#8203;8080/a'],
    ['mailto:a@b.c', 'mailto:&#8203;a@&#8203;b&#8203;.c'],
    ['a@evil.example', 'a@&#8203;evil&#8203;.example'],
    ['xmpp:a@evil.example/r', 'xmpp:&#8203;a@&#8203;evil&#8203;.example/r'],
    ['see <https://evil.example>', 'see &lt;https:&#8203;//evil&#8203;.example&gt;'],
    ['@octocat and @github/security', '@&#8203;octocat and @&#8203;github/security'],
    ['#12, GH-12, owner/repo#12', '\\#&#8203;12, GH-&#8203;12, owner/repo\\#&#8203;12'],
    ['owner/repo@abc1234', 'owner/repo@&#8203;abc1234'],
  ];
  const report = (title: string) =>
    renderReport(
      run([
        collection(A, {
          changes: [
            { kind: 'create', relPath: 'c.md', itemId: '1', title, link: 'https://example.com/1', editUrl: '' },
            { kind: 'skip', relPath: 's.md', itemId: '2', title, link: '', editUrl: '' },
          ],
        }),
      ]),
    );

  it.each(HOSTILE)('%s', (title, inert) => {
    const text = report(title);
    expect(text).toContain(`| [${inert}](https://example.com/1) |  | \`c.md\` |\n`);
    expect(text).toContain(`| ${inert} | \`s.md\` |\n`);
    // A GFM parser with both of GitHub's autolink passes finds the one link the report makes, no other.
    expect(gfmLinks(text)).toEqual(['https://example.com/1']);
  });

  it('a failure reason, an error and an edit URL are inert too', () => {
    const text = renderReport(
      run(
        [
          collection(A, {
            failed: 1,
            failures: [{ itemId: '3', reason: 'x_https://evil.example/r and a@evil.example' }],
            changes: [
              { kind: 'delete', relPath: 'd.md', itemId: '4', title: 'T', link: '', editUrl: 'www.evil.example/4' },
            ],
          }),
          collection(B, { result: 'failed', error: '1https://evil.example/e @octocat' }),
        ],
        { ok: false },
      ),
    );
    expect(text).toContain('| item 3 | x\\_https:&#8203;//evil&#8203;.example/r and a@&#8203;evil&#8203;.example |');
    expect(text).toContain('\n1https:&#8203;//evil&#8203;.example/e @&#8203;octocat\n');
    expect(text).toContain('| T | www&#8203;.evil&#8203;.example/4 | `d.md` |');
    expect(gfmLinks(text)).toEqual([]);
  });
});

describe('renderReport: within the body limit of a pull request', () => {
  const long = 'A'.repeat(72_000);
  const change = (kind: ChangeRecord['kind'], i: number, title = `Post number ${i} about health care data`) => ({
    kind,
    relPath: `content/post/post-number-${i}-about-health-care-data.md`,
    itemId: String(i),
    title,
    link: `https://www.example.com/articles/${i}`,
    editUrl: `https://someone.dropmark.com/616548/${i}`,
    ...(kind === 'update' ? { changedKeys: ['body', 'title'] } : {}),
  });
  const big = () => {
    const changes = [
      change('update', 1, long),
      ...Array.from({ length: 4_999 }, (_, i) => change('update', i + 2)),
      ...Array.from({ length: 40 }, (_, i) => change('delete', 10_000 + i)),
      change('delete', 20_000, long),
    ];
    return run([collection(A, { updated: 5_000, deleted: 41, unchanged: 7, changes })]);
  };

  it('a 72k title and 5,000 changed items: totals and deletions first, the rest cut, the full report named', () => {
    const text = renderReport(big(), { fullReport: 'report.full.md' });
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(
      text.startsWith(
        '## Dropmark sync\n\n' +
          '**0 created · 5000 updated · 41 deleted** · 7 unchanged · 0 skipped (locked) · 0 failed · ' +
          '0 images downloaded\n\n' +
          '> [!WARNING]\n' +
          '> 41 post(s) deleted because their items are gone from the Dropmark collection. ' +
          'Check that this is meant before merging.\n\n' +
          '### ⚠️ Deleted (41)\n\n<details><summary>Show all 41</summary>\n\n' +
          '| Post | Dropmark | File |\n|---|---|---|\n',
      ),
    ).toBe(true);
    // Every deletion is there, the long title cut to 200 characters with an ellipsis.
    for (let i = 0; i < 40; i++) expect(text).toContain(`\`content/post/post-number-${10_000 + i}-about-health`);
    expect(text).toContain(`| [${'A'.repeat(199)}…](https://www.example.com/articles/20000) |`);
    expect(text).not.toContain('A'.repeat(200));
    // Then the updates, as many as fit, and a line for the others.
    const updates = text.split('\n').filter((l) => /^\| .* \| `body`, `title` \|$/.test(l));
    const more = text.match(
      /\n(\d+) more rows not shown; the full report is `report\.full\.md`, beside this report\.\n/,
    );
    expect(updates.length).toBeGreaterThan(100);
    expect(Number(more?.[1]) + updates.length).toBe(5_000);
    expect(text.indexOf('### ⚠️ Deleted (41)')).toBeLessThan(text.indexOf('### Updated (5000)'));
    expect(text).toContain(`### Updated (5000)\n\n<details><summary>Show ${updates.length} of 5000</summary>\n`);
  });

  it('the full report has every row; a report that fits is the same as the full one', () => {
    const full = renderReport(big(), { budget: Number.POSITIVE_INFINITY });
    expect(full.split('\n').filter((l) => l.endsWith(' | `body`, `title` |'))).toHaveLength(5_000);
    expect(full).not.toContain('more rows not shown');
    const small = run([collection(A, { created: 1, changes: [change('create', 1)] })]);
    expect(renderReport(small)).toBe(renderReport(small, { budget: Number.POSITIVE_INFINITY }));
  });

  it('deletions come first even when they alone do not fit: the other tables keep their headings and counts', () => {
    const changes = [
      ...Array.from({ length: 3_000 }, (_, i) => change('delete', i)),
      ...Array.from({ length: 10 }, (_, i) => change('create', 5_000 + i)),
    ];
    const text = renderReport(run([collection(A, { created: 10, deleted: 3_000, changes })]), {
      fullReport: 'r.full.md',
    });
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(text).toMatch(/\n\d+ more rows not shown; the full report is `r\.full\.md`, beside this report\.\n/);
    expect(text).toContain(
      '\n### Created (10)\n\n10 more rows not shown; the full report is `r.full.md`, beside this report.\n',
    );
  });
});

describe('renderReport: a frame longer than the budget', () => {
  it('100 collections that failed, each with a long error: whole lines up to the budget, then a line', () => {
    const failed = Array.from({ length: 100 }, (_, i) =>
      collection(`https://shah.dropmark.com/${i}.json`, { result: 'failed', error: `${'e'.repeat(1_000)} ${i}` }),
    );
    const text = renderReport(run(failed, { ok: false }), { fullReport: 'r.full.md' });
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(
      text.endsWith('\n\nThe rest of the report is not shown; the full report is `r.full.md`, beside this report.\n'),
    ).toBe(true);
    expect(text).toContain(`\n${'e'.repeat(1_000)} 0\n`);
    expect(text).not.toContain(`\n${'e'.repeat(1_000)} 99\n`);
  });
});

describe('renderReport: an image a renamed post takes along', () => {
  it('names the image it was before, never as removed and downloaded again', () => {
    const text = renderReport(
      run([
        collection(A, {
          images: [
            { kind: 'move', relPath: 'static/img/new.jpg', from: 'static/img/old.jpg', size: 3 },
            { kind: 'copy', relPath: 'static/img/twin.jpg', from: 'static/img/shared.jpg', size: 3 },
          ],
        }),
      ]),
    );
    expect(text).toContain(
      '| `static/img/new.jpg` | moved from `static/img/old.jpg` | 3 B |\n' +
        '| `static/img/twin.jpg` | copied from `static/img/shared.jpg` | 3 B |\n',
    );
  });
});

describe('renderReport: keys a person added that the profile writes too', () => {
  it('a table of the files and keys kept as written', () => {
    const text = renderReport(
      run([collection(A, { updated: 1, keptKeys: [{ file: 'content/post/a.md', keys: ['image', 'lastmod'] }] })]),
    );
    expect(text).toContain(
      '### Keys added by hand, kept as written (1)\n\n' +
        '| File | Keys (the profile writes them too, but not into this file) |\n' +
        '|---|---|\n' +
        '| `content/post/a.md` | `image`, `lastmod` |\n',
    );
  });
});
