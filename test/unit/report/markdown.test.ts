import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/markdown.js';
import { emptyCollectionSummary, type CollectionSummary, type Summary } from '../../../src/summary.js';

const A = 'https://shah.dropmark.com/616548.json';
const B = 'https://shah.dropmark.com/700000.json';

function run(collections: CollectionSummary[], over: Partial<Summary> = {}): Summary {
  const sum = (k: 'created' | 'updated' | 'deleted' | 'unchanged' | 'skipped' | 'failed') =>
    collections.reduce((n, c) => n + c[k], 0);
  return {
    created: sum('created'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    unchanged: sum('unchanged'),
    skipped: sum('skipped'),
    failed: sum('failed'),
    imagesDownloaded: 0,
    imagesMissing: 0,
    files: [],
    ok: true,
    result: 'ok',
    stopped: false,
    dryRun: false,
    startedAt: '2026-11-27T00:00:00.000Z',
    durationMs: 1,
    collections,
    ...over,
  };
}

const collection = (endpoint: string, over: Partial<CollectionSummary> = {}): CollectionSummary => ({
  ...emptyCollectionSummary(endpoint),
  ...over,
});

describe('renderReport: the whole report, written out', () => {
  it('a dry run over two collections: every section, in order, under the endpoint', () => {
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
        '### https:&#8203;//shah.dropmark.com/616548.json',
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
        '| (untitled) |  | `content/post/b.md` (renamed from `content/post/a.md`) | `slug`, `title` |',
        '| [Keys unknown](http://example.com/c) | [edit](https://shah.dropmark.com/616548/3) | ' +
          "`content/post/c\\|d'e.md` |  |",
        '',
        '#### ⚠️ Deleted (1)',
        '',
        '| Post | Dropmark | File |',
        '|---|---|---|',
        '| [Gone](https://example.com/gone) | [edit](https://shah.dropmark.com/616548/4) | `content/post/gone.md` |',
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
        '| item 6 | image https:&#8203;//cdn.example/x.jpg: HTTP 404 |',
        '',
        '### https:&#8203;//shah.dropmark.com/700000.json',
        '',
        '#### Error',
        '',
        'GET https:&#8203;//shah.dropmark.com/700000.json: HTTP 500 retried',
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
  const linkOf = (link: string) =>
    renderReport(
      run([
        collection(A, {
          changes: [{ kind: 'create', relPath: 'p.md', itemId: '1', title: 'T', link, editUrl: link }],
        }),
      ]),
    )
      .split('\n')
      .find((l) => l.includes('`p.md`'));
  it.each([
    ['https://example.com/a', '| [T](https://example.com/a) | [edit](https://example.com/a) | `p.md` |'],
    ['http://example.com/a', '| [T](http://example.com/a) | [edit](http://example.com/a) | `p.md` |'],
    ['ftp://example.com/a', '| T |  | `p.md` |'],
    ['javascript:alert(1)', '| T |  | `p.md` |'],
    ['no url', '| T |  | `p.md` |'],
    [
      'https://example.com/a_(b)<c>"d\'e|f\\g[h]i`j k',
      '| [T](https://example.com/a_%28b%29%3Cc%3E%22d%27e%7Cf/g%5Bh%5Di%60j%20k) | ' +
        '[edit](https://example.com/a_%28b%29%3Cc%3E%22d%27e%7Cf/g%5Bh%5Di%60j%20k) | `p.md` |',
    ],
  ])('%s', (link, row) => expect(linkOf(link)).toBe(row));
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
