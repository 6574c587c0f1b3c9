import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/plan/post-plan.js';
import { collectionDiff, colorizeDiff, formatSize, renderDiff } from '../../../src/report/diff.js';
import { emptyCollectionSummary, type ImageChangeRecord } from '../../../src/summary.js';
import { postTextChanges } from '../../../src/sync/change-records.js';

// Ten lines with line 6 changed: three lines of context either side make the hunk 3..9.
const ten = (sixth: string) => `l1\nl2\nl3\nl4\nl5\n${sixth}\nl7\nl8\nl9\nl10\n`;
const change = (c: Partial<Change> & Pick<Change, 'kind' | 'relPath'>) =>
  ({ id: '1', title: '', link: '', editUrl: '', ...c }) as Change;

describe('renderDiff: a dry run as a git-style unified diff', () => {
  it('writes every kind of change, then the other files, the images and the downloads', () => {
    const diff = renderDiff(
      [
        ...postTextChanges([
          change({ kind: 'create', relPath: 'content/post/new.md', text: 'a\nb\n' }),
          change({ kind: 'delete', relPath: 'content/post/gone.md', before: 'x\n' }),
          change({ kind: 'update', relPath: 'content/post/up.md', before: ten('old'), text: ten('new') }),
          change({
            kind: 'update',
            relPath: 'content/post/to.md',
            renamedFrom: 'content/post/from.md',
            before: 'r\n',
            text: 'r\n',
          }),
        ]),
        { relPath: 'data/m.json', before: undefined, after: '{}\n' },
      ],
      [
        { kind: 'create', relPath: 'static/a.jpg', size: 1023 },
        { kind: 'update', relPath: 'static/b.jpg', size: 1024 },
        { kind: 'delete', relPath: 'static/c.jpg', size: 1048576 },
      ],
      [
        { relPath: 'static/d.jpg', from: 'https://cdn.example/x.jpg', replaces: false },
        { relPath: 'static/e.jpg', from: 'https://cdn.example/y.jpg', replaces: true },
      ],
    );
    expect(diff).toBe(
      [
        '--- /dev/null',
        '+++ b/content/post/new.md',
        '@@ -0,0 +1,2 @@',
        '+a',
        '+b',
        '--- a/content/post/gone.md',
        '+++ /dev/null',
        '@@ -1,1 +0,0 @@',
        '-x',
        '--- a/content/post/up.md',
        '+++ b/content/post/up.md',
        '@@ -3,7 +3,7 @@',
        ' l3',
        ' l4',
        ' l5',
        '-old',
        '+new',
        ' l7',
        ' l8',
        ' l9',
        // A rename is the old file removed and the new one created.
        '--- a/content/post/from.md',
        '+++ /dev/null',
        '@@ -1,1 +0,0 @@',
        '-r',
        '--- /dev/null',
        '+++ b/content/post/to.md',
        '@@ -0,0 +1,1 @@',
        '+r',
        '--- /dev/null',
        '+++ b/data/m.json',
        '@@ -0,0 +1,1 @@',
        '+{}',
        '+ static/a.jpg (new image, 1023 B)',
        '~ static/b.jpg (image replaced, 1.0 kB)',
        '- static/c.jpg (image removed, 1.0 MB)',
        '+ static/d.jpg (would download https://cdn.example/x.jpg)',
        '~ static/e.jpg (would download https://cdn.example/y.jpg)',
        '',
      ].join('\n'),
    );
  });

  it('is empty when nothing changes', () => {
    expect(renderDiff([], [])).toBe('');
  });

  it('writes a changed state file with both sides', () => {
    expect(renderDiff([{ relPath: 'data/b.json', before: '{}\n', after: '{"1":"h"}\n' }], [])).toBe(
      '--- a/data/b.json\n+++ b/data/b.json\n@@ -1,1 +1,1 @@\n-{}\n+{"1":"h"}\n',
    );
  });
});

describe("collectionDiff: a collection's diff from its summary", () => {
  it('nothing for a summary without texts (a failed collection, or a run that asked for no diff)', () => {
    const summary = emptyCollectionSummary('https://x.dropmark.com/1.json');
    summary.wouldDownload = [{ relPath: 'static/d.jpg', from: 'cdn.example/x.jpg', replaces: false }];
    expect(collectionDiff(summary)).toBe('');
    expect(collectionDiff({ ...summary, textChanges: [] })).toBe('+ static/d.jpg (would download cdn.example/x.jpg)\n');
  });
});

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 kB'],
    [1536, '1.5 kB'],
    [1048575, '1024.0 kB'],
    [1048576, '1.0 MB'],
    [5 * 1048576 + 104858, '5.1 MB'],
  ])('%i bytes: %s', (bytes, text) => expect(formatSize(bytes)).toBe(text));
});

describe('colorizeDiff', () => {
  it('bold file lines, green additions, red removals, cyan hunks, yellow images, the rest as is', () => {
    expect(colorizeDiff('--- a\n+++ b\n@@ -1 +1 @@\n+add\n-rem\n~ img\n same\n')).toBe(
      '\x1b[1m--- a\x1b[0m\n' +
        '\x1b[1m+++ b\x1b[0m\n' +
        '\x1b[36m@@ -1 +1 @@\x1b[0m\n' +
        '\x1b[32m+add\x1b[0m\n' +
        '\x1b[31m-rem\x1b[0m\n' +
        '\x1b[33m~ img\x1b[0m\n' +
        ' same\n',
    );
  });

  it('looks at the start of a line only', () => {
    expect(colorizeDiff('a+++\nb---\nc+\nd-\ne@@\nf~')).toBe('a+++\nb---\nc+\nd-\ne@@\nf~');
  });
});

describe('renderDiff: an image a renamed post takes along', () => {
  it('says where it comes from, moved (the old name goes) or copied (it stays)', () => {
    const images: ImageChangeRecord[] = [
      { kind: 'move', relPath: 'img/new.jpg', from: 'img/old.jpg', size: 2048 },
      { kind: 'copy', relPath: 'img/twin.jpg', from: 'img/shared.jpg', size: 10 },
    ];
    expect(renderDiff([], images)).toBe(
      '~ img/new.jpg (image moved from img/old.jpg, 2.0 kB)\n+ img/twin.jpg (image copied from img/shared.jpg, 10 B)\n',
    );
  });
});
