import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/markdown.js';
import { formatSummary, summaryJson, summaryRecord } from '../../../src/report/summary-text.js';
import { emptyCollectionSummary, type CollectionSummary } from '../../../src/summary.js';
import { summaryOf } from '../../support/summaries.js';

// Files left alone because another file claims their item (a copied post): every output names them.
const ENDPOINT = 'https://shah.dropmark.com/616548.json';

const run = (collection: CollectionSummary) => summaryOf([collection], { durationMs: 1000 });

const withCopies = run({
  ...emptyCollectionSummary(ENDPOINT),
  unchanged: 3,
  duplicates: [
    { file: 'content/post/b.md', itemId: '123', toolFile: 'content/post/a.md' },
    { file: 'content/post/d.md', itemId: '456', toolFile: 'content/post/c.md', itemGone: true },
  ],
});

describe('a copy left alone, in every output', () => {
  it('the text summary: one line each, saying what was done', () => {
    expect(formatSummary(withCopies)).toBe(
      'dropmark-sync: done: 0 created, 0 updated, 0 deleted, 3 unchanged, 0 failed, 0 images downloaded (1.0 s)\n' +
        '  left alone: content/post/b.md claims item 123 like content/post/a.md; left alone. ' +
        'Remove its dropmark.editURL line if it is a copy meant to stay\n' +
        '  left alone: content/post/d.md claims item 456 like content/post/c.md, an item no longer in the feed; ' +
        'both left alone. Remove its dropmark.editURL line if it is a copy meant to stay\n',
    );
  });

  it('the report: a section with the files, and what to do about a copy meant to stay', () => {
    expect(renderReport(withCopies)).toBe(
      [
        '## Dropmark sync',
        '',
        '**0 created · 0 updated · 0 deleted** · 3 unchanged · 0 skipped (locked) · 0 failed · ' +
          '0 images downloaded',
        '',
        '### Left alone: copies (2)',
        '',
        'Each file claims an item whose file, the one the sync updates, is another one; it is never updated or ' +
          'deleted. Remove its `dropmark.editURL` line if it is a copy meant to stay.',
        '',
        '| File | Claims | The item’s file |',
        '|---|---|---|',
        '| `content/post/b.md` | item 123 | `content/post/a.md` |',
        '| `content/post/d.md` | item 456 (no longer in the feed; both left alone) | `content/post/c.md` |',
        '',
        'Nothing changed.',
        '',
      ].join('\n'),
    );
  });

  it('the --json summary and the last JSON log record carry them', () => {
    const duplicates = withCopies.collections[0]?.duplicates;
    expect(JSON.parse(summaryJson(withCopies)).collections[0].duplicates).toEqual(duplicates);
    expect(JSON.parse(summaryRecord(withCopies, 'info', 0)).collections[0].duplicates).toEqual(duplicates);
  });

  it('without copies, no key and no line', () => {
    const plain = run({ ...emptyCollectionSummary(ENDPOINT), unchanged: 3 });
    expect(JSON.parse(summaryJson(plain)).collections[0]).not.toHaveProperty('duplicates');
    expect(formatSummary(plain)).not.toMatch(/left alone/);
    expect(renderReport(plain)).not.toMatch(/copies/);
  });
});
