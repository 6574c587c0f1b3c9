import { describe, expect, it } from 'vitest';
import { actionOutcome } from '../../src/action-outcome.js';
import { emptyCollectionSummary, totals, type CollectionSummary, type Summary } from '../../src/summary.js';

function summary(...collections: Partial<CollectionSummary>[]): Summary {
  const all = collections.map((c) => ({ ...emptyCollectionSummary('https://a.dropmark.com/1.json'), ...c }));
  return {
    ...totals(all),
    ok: all.every((c) => c.result !== 'failed'),
    result: all.some((c) => c.result === 'failed') ? 'failed' : 'ok',
    stopped: false,
    dryRun: false,
    startedAt: '2026-11-27T00:00:00.000Z',
    durationMs: 1,
    collections: all,
  };
}

describe('what the GitHub Action reports', () => {
  it('a clean sync with changes: exit 0, changed, the counts and the report path', () => {
    const outcome = actionOutcome(summary({ created: 2, updated: 1, files: ['a.md', 'b.md', 'c.md'] }), 0, '/tmp/r.md');
    expect(outcome).toEqual({
      exitCode: 0,
      outputs: { changed: 'true', created: '2', updated: '1', deleted: '0', failed: '0', report: '/tmp/r.md' },
    });
  });

  it('nothing changed: changed is "false", so no pull request', () => {
    expect(actionOutcome(summary({ unchanged: 5 }), 0, '/tmp/r.md').outputs.changed).toBe('false');
  });

  it('some items failed: exit 0 (the pull request still comes, the report lists them), with a warning', () => {
    const outcome = actionOutcome(
      summary({ result: 'failed', created: 1, failed: 1, files: ['a.md'] }),
      1,
      '/tmp/r.md',
    );
    expect(outcome.exitCode).toBe(0);
    expect(outcome.outputs).toMatchObject({ changed: 'true', failed: '1' });
    expect(outcome.warning).toBe(
      'dropmark-sync: 1 item(s) or file(s) failed and 0 collection(s) could not be synced; the report lists them',
    );
  });

  it('one of two collections failed as a whole: exit 0 with a warning; all of them: exit 1', () => {
    const one = actionOutcome(
      summary({ result: 'failed', error: 'HTTP 404' }, { created: 1, files: ['a.md'] }),
      1,
      '/tmp/r.md',
    );
    expect(one.exitCode).toBe(0);
    expect(one.warning).toMatch(/1 collection\(s\) could not be synced/);
    expect(actionOutcome(summary({ result: 'failed', error: 'HTTP 404' }), 1, '/tmp/r.md').exitCode).toBe(1);
  });

  it('no summary at all (a bad config, the lock held): exit 1, no report', () => {
    expect(actionOutcome(undefined, 1, '/tmp/r.md')).toEqual({
      exitCode: 1,
      outputs: { changed: 'false', created: '0', updated: '0', deleted: '0', failed: '0', report: '' },
    });
  });
});
