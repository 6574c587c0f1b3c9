import { describe, expect, it } from 'vitest';
import { formatSummary, summaryRecord } from '../../../src/report/summary-text.js';
import type { Summary } from '../../../src/summary.js';
import { collectionSummary, countedSummary } from '../../support/summaries.js';

const collection = collectionSummary;
/** The counts these tests' lines tell, unless `over` says otherwise. */
const summary = (over: Partial<Summary> = {}, collections = [collection()]): Summary =>
  countedSummary({ created: 1, unchanged: 4, ...over }, collections);

describe('formatSummary', () => {
  it('a dry run that failed says FAILED, not "dry run"', () => {
    expect(formatSummary(summary({ ok: false, result: 'failed', failed: 1, dryRun: true }))).toBe(
      'dropmark-sync: FAILED: 1 would be created, 0 would be updated, 0 would be deleted, 4 unchanged, ' +
        '1 failed, 0 images would be downloaded (1.2 s)\n',
    );
  });

  it('names each missing image with its item', () => {
    const c = collection({
      imageFailures: [{ itemId: '7', reason: 'image https://cdn.example/7.jpg: HTTP 404' }, { reason: 'no item' }],
    });
    expect(
      formatSummary(summary({ result: 'degraded', imagesMissing: 2 }, [c]))
        .split('\n')
        .slice(1),
    ).toEqual([
      '  image missing: item 7: image https://cdn.example/7.jpg: HTTP 404',
      '  image missing: item : no item',
      '',
    ]);
  });
});

describe('summaryRecord: the last JSON log record', () => {
  it("is pino's shape with every count and what went wrong, without paths or change records", () => {
    const c = collection({
      result: 'failed',
      created: 1,
      unchanged: 4,
      failed: 1,
      error: 'GET x: HTTP 500',
      files: ['content/post/a.md'],
      failures: [{ itemId: '3', reason: 'bad \u202e date' }],
      imageFailures: [{ itemId: '4', reason: 'HTTP 404' }],
      changes: [{ kind: 'create', relPath: 'content/post/a.md', itemId: '1', title: 'A', link: '', editUrl: '' }],
    });
    const record = summaryRecord(
      summary({ ok: false, result: 'failed', failed: 1, files: ['content/post/a.md'] }, [c]),
      'warn',
      1_764_000_000_000,
    );
    expect(record).toBe(
      '{"level":40,"time":1764000000000,' +
        '"msg":"dropmark-sync: FAILED: 1 created, 0 updated, 0 deleted, 4 unchanged, 1 failed, ' +
        '0 images downloaded (1.2 s)",' +
        '"ok":false,"result":"failed","stopped":false,"dryRun":false,"created":1,"updated":0,"deleted":0,' +
        '"unchanged":4,"skipped":0,"failed":1,"imagesDownloaded":0,"imagesMissing":0,' +
        '"startedAt":"2026-11-26T10:00:00.000Z","durationMs":1234,"changedFiles":1,' +
        '"collections":[{"endpoint":"https://shah.dropmark.com/616548.json","result":"failed","created":1,' +
        '"updated":0,"deleted":0,"unchanged":4,"skipped":0,"failed":1,"imagesDownloaded":0,"imagesMissing":0,' +
        '"error":"GET x: HTTP 500","failures":[{"itemId":"3","reason":"bad \\u202e date"}],' +
        '"imageFailures":[{"itemId":"4","reason":"HTTP 404"}]}]}\n',
    );
  });

  it.each([
    ['info', 30],
    ['warn', 40],
    ['error', 50],
  ] as const)('level %s is %i', (level, number) => {
    expect(JSON.parse(summaryRecord(summary(), level, 0)).level).toBe(number);
  });
});
