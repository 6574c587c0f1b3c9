import { describe, expect, it } from 'vitest';
import { plan, type Change } from '../../../src/plan/post-plan.js';
import { changeRecords } from '../../../src/sync/change-records.js';
import { formatSummary, summaryJson } from '../../../src/report/summary-text.js';
import type { Summary } from '../../../src/summary.js';
import { collectionSummary, countedSummary } from '../../support/summaries.js';
import { existingFile } from '../../support/builders.js';

const collection = collectionSummary;
/** The counts these tests' lines tell, unless `over` says otherwise. */
const summary = (over: Partial<Summary> = {}, collections = [collection()]): Summary =>
  countedSummary({ created: 1, updated: 2, deleted: 3, unchanged: 4, imagesDownloaded: 5, ...over }, collections);

describe('formatSummary: the line that ends every sync', () => {
  it.each([
    [{}, 'dropmark-sync: done: 1 created, 2 updated, 3 deleted, 4 unchanged, 0 failed, 5 images downloaded (1.2 s)'],
    [
      { ok: false, result: 'failed', failed: 1 },
      'dropmark-sync: FAILED: 1 created, 2 updated, 3 deleted, 4 unchanged, 1 failed, 5 images downloaded (1.2 s)',
    ],
    [
      { ok: false, result: 'failed', stopped: true },
      'dropmark-sync: FAILED: 1 created, 2 updated, 3 deleted, 4 unchanged, 0 failed, 5 images downloaded (1.2 s)',
    ],
    [
      { result: 'stopped', stopped: true },
      'dropmark-sync: stopped: 1 created, 2 updated, 3 deleted, 4 unchanged, 0 failed, 5 images downloaded (1.2 s)',
    ],
    [
      { result: 'stopped', stopped: true, dryRun: true },
      'dropmark-sync: stopped: 1 would be created, 2 would be updated, 3 would be deleted, 4 unchanged, 0 failed, ' +
        '5 images would be downloaded (1.2 s)',
    ],
    [
      { dryRun: true },
      'dropmark-sync: dry run, nothing written: 1 would be created, 2 would be updated, 3 would be deleted, ' +
        '4 unchanged, 0 failed, 5 images would be downloaded (1.2 s)',
    ],
    [
      { skipped: 2 },
      'dropmark-sync: done: 1 created, 2 updated, 3 deleted, 4 unchanged, 2 skipped (locked), 0 failed, ' +
        '5 images downloaded (1.2 s)',
    ],
    [
      { result: 'degraded', imagesMissing: 2 },
      'dropmark-sync: degraded: 1 created, 2 updated, 3 deleted, 4 unchanged, 0 failed, 5 images downloaded, ' +
        '2 images missing (1.2 s)',
    ],
    [
      { dryRun: true, result: 'degraded', imagesMissing: 1 },
      'dropmark-sync: dry run, nothing written: 1 would be created, 2 would be updated, 3 would be deleted, ' +
        '4 unchanged, 0 failed, 5 images would be downloaded, 1 images missing (1.2 s)',
    ],
    [
      { durationMs: 50 },
      'dropmark-sync: done: 1 created, 2 updated, 3 deleted, 4 unchanged, 0 failed, 5 images downloaded (0.1 s)',
    ],
  ] as [Partial<Summary>, string][])('%j', (over, line) => expect(formatSummary(summary(over))).toBe(`${line}\n`));

  it('notes each collection that had nothing to do or stopped, and names errors, locks, renames and failures', () => {
    const text = formatSummary(
      summary({ ok: false }, [
        collection({ endpoint: 'https://a.dropmark.com/1.json', result: 'not-modified' }),
        collection({ endpoint: 'https://b.dropmark.com/2.json', result: 'unchanged-feed' }),
        collection({ endpoint: 'https://c.dropmark.com/3.json', result: 'stopped' }),
        collection({
          endpoint: 'https://d.dropmark.com/4.json',
          result: 'failed',
          error: 'HTTP 404: no such collection',
        }),
        collection({
          endpoint: 'https://e.dropmark.com/5.json',
          changes: [
            { kind: 'skip', relPath: 'content/post/a.md', itemId: '1', title: 'A', link: '', editUrl: '' },
            {
              kind: 'update',
              relPath: 'content/post/new.md',
              itemId: '2',
              title: 'B',
              link: '',
              editUrl: '',
              renamedFrom: 'content/post/old.md',
            },
            { kind: 'update', relPath: 'content/post/same.md', itemId: '3', title: 'C', link: '', editUrl: '' },
          ],
          failures: [
            { itemId: '7', reason: 'bad date' },
            { file: 'content/post/x.md', reason: 'EACCES' },
            { reason: 'feed gone' },
          ],
        }),
      ]),
    );
    expect(text.split('\n').slice(1)).toEqual([
      '  https://a.dropmark.com/1.json: feed not modified (HTTP 304), nothing to do',
      '  https://b.dropmark.com/2.json: feed unchanged since the last sync, nothing to do',
      '  https://c.dropmark.com/3.json: stopped on request before the end; the next sync completes the rest',
      '  error: HTTP 404: no such collection',
      '  skipped: content/post/a.md is locked (dropmark.locked: true)',
      '  renamed: content/post/old.md -> content/post/new.md',
      '  failed: item 7: bad date',
      '  failed: content/post/x.md: EACCES',
      '  failed: https://e.dropmark.com/5.json: feed gone',
      '',
    ]);
  });
});

describe('formatSummary: keys a person added that the profile writes too', () => {
  it('names the file and the keys, and says they are kept', () => {
    const text = formatSummary(
      summary({}, [collection({ keptKeys: [{ file: 'content/post/a.md', keys: ['image', 'lastmod'] }] })]),
    );
    expect(text.split('\n').slice(1)).toEqual([
      "  kept: content/post/a.md: image, lastmod: added by hand, kept as written; the profile's values for them " +
        'are not written into this file',
      '',
    ]);
  });
});

describe('summaryJson', () => {
  it("puts the spec keys first, leaves the diff's texts out, and ends with a newline", () => {
    const textChanges = [{ relPath: 'a.md', before: undefined, after: 'b\n' }];
    const text = summaryJson(summary({}, [collection({ textChanges })]));
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual([
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
      'collections',
    ]);
    expect('textChanges' in parsed.collections[0]).toBe(false);
  });

  it('writes C1 controls and bidi overrides as \\u escapes; other text as is', () => {
    const text = summaryJson(summary({}, [collection({ error: 'a\u0085b\u202ec\u2066d\u007fe\u00a0f\u2028g' })]));
    expect(text).toContain('"error":"a\\u0085b\\u202ec\\u2066d\\u007fe\u00a0f\u2028g"');
    expect(JSON.parse(text).collections[0].error).toBe('a\u0085b\u202ec\u2066d\u007fe\u00a0f\u2028g');
  });
});

describe('changeRecords: what a reviewer reads', () => {
  const base = { id: '1', title: 'T', link: 'https://x.org', editUrl: 'https://d/1' };
  const file = (data: string, body = 'Body\n') => `---\n${data}\n---\n${body}`;
  /** The update the plan makes of a file at `from` (the wanted path unless it moves) rendered as `text`. */
  const updated = (before: string, text: string, from = 'p/a.md', to = 'p/a.md'): Change => {
    const onDisk = existingFile('a', '1', { relPath: from, text: before });
    const result = plan([{ ...base, relPath: to, text }], [onDisk], {
      deletions: 'delete',
      allowMassDelete: false,
      feedItemCount: 1,
    });
    expect(result.changes).toHaveLength(1);
    return result.changes[0] as Change;
  };

  it('names the keys whose values changed, sorted, and the body', () => {
    const change = updated(
      file('title: Old\ndate: 2019-01-01\ntags: [a]\nkeep: 1'),
      file('title: New\ndate: 2019-01-01\ntags: [a, b]\nadded: x\nkeep: 1', 'Other\n'),
    );
    expect(changeRecords([change], [])).toStrictEqual([
      {
        kind: 'update',
        relPath: 'p/a.md',
        itemId: '1',
        title: 'T',
        link: 'https://x.org',
        editUrl: 'https://d/1',
        changedKeys: ['added', 'tags', 'title', 'body'],
      },
    ]);
  });

  it('keeps the old path of a rename; creates and deletes carry no keys', () => {
    const records = changeRecords(
      [
        updated(file('a: 1'), file('a: 1'), 'p/old.md', 'p/new.md'),
        { kind: 'create', relPath: 'p/c.md', ...base, text: file('a: 1') },
        { kind: 'delete', relPath: 'p/d.md', ...base, before: file('a: 1') },
      ],
      [{ relPath: 'p/locked.md', id: '9', title: 'L', link: 'https://l' }],
    );
    // Strict: a record without a rename must not carry a renamedFrom key at all.
    expect(records).toStrictEqual([
      {
        kind: 'update',
        relPath: 'p/new.md',
        itemId: '1',
        title: 'T',
        link: 'https://x.org',
        editUrl: 'https://d/1',
        renamedFrom: 'p/old.md',
        changedKeys: [],
      },
      { kind: 'create', relPath: 'p/c.md', itemId: '1', title: 'T', link: 'https://x.org', editUrl: 'https://d/1' },
      { kind: 'delete', relPath: 'p/d.md', itemId: '1', title: 'T', link: 'https://x.org', editUrl: 'https://d/1' },
      { kind: 'skip', relPath: 'p/locked.md', itemId: '9', title: 'L', link: 'https://l', editUrl: '' },
    ]);
  });

  it('an unreadable side counts as no keys and no body', () => {
    const [record] = changeRecords([updated(file('title: [broken'), file('title: x', ''))], []);
    expect(record?.changedKeys).toEqual(['title']);
    const [other] = changeRecords([updated('no front matter', file('title: x', 'B'))], []);
    expect(other?.changedKeys).toEqual(['title', 'body']);
    const [after] = changeRecords([updated(file('title: x', ''), file('title: [broken'))], []);
    expect(after?.changedKeys).toEqual(['title']);
  });
});
