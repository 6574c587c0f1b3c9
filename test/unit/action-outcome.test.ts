import { describe, expect, it } from 'vitest';
import { actionOutcome, parseFailOn, stepSummary } from '../../src/action-outcome.js';
import { emptyCollectionSummary, runResult, totals, type CollectionSummary, type Summary } from '../../src/summary.js';

function summary(...collections: Partial<CollectionSummary>[]): Summary {
  const all = collections.map((c) => ({ ...emptyCollectionSummary('https://a.dropmark.com/1.json'), ...c }));
  return {
    ...totals(all),
    ok: all.every((c) => c.result !== 'failed'),
    result: runResult(all),
    stopped: false,
    dryRun: false,
    startedAt: '2026-11-27T00:00:00.000Z',
    durationMs: 1,
    collections: all,
  };
}

describe('what the GitHub Action reports', () => {
  it('a clean sync with changes: exit 0, changed, the counts, complete and the report path', () => {
    const outcome = actionOutcome(summary({ created: 2, updated: 1, files: ['a.md', 'b.md', 'c.md'] }), 0, '/tmp/r.md');
    expect(outcome).toEqual({
      exitCode: 0,
      outputs: {
        changed: 'true',
        created: '2',
        updated: '1',
        deleted: '0',
        failed: '0',
        result: 'ok',
        complete: 'true',
        report: '/tmp/r.md',
      },
    });
  });

  it('nothing changed: changed is "false", yet complete, so the pull request step may close a stale one', () => {
    expect(actionOutcome(summary({ unchanged: 5 }), 0, '/tmp/r.md').outputs).toMatchObject({
      changed: 'false',
      complete: 'true',
    });
  });

  it('some items failed: the job fails by default (fail-on: failed), and the run is still complete', () => {
    const failed = summary({ result: 'failed', created: 1, failed: 1, files: ['a.md'] });
    const outcome = actionOutcome(failed, 1, '/tmp/r.md');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.outputs).toMatchObject({ changed: 'true', failed: '1', result: 'failed', complete: 'true' });
    expect(outcome.annotation).toEqual({
      level: 'error',
      message:
        'dropmark-sync: the run is failed: 1 item(s) or file(s) failed, 0 collection(s) could not be synced, ' +
        '0 image(s) missing; the job summary and the report list them (fail-on: failed)',
    });
    const never = actionOutcome(failed, 1, '/tmp/r.md', 'never');
    expect(never.exitCode).toBe(0);
    expect(never.annotation?.level).toBe('warning');
  });

  it('images missing (degraded): passes under fail-on failed, fails under fail-on degraded', () => {
    const degraded = summary({ result: 'degraded', created: 1, imagesMissing: 1, files: ['a.md'] });
    expect(degraded.result).toBe('degraded');
    const byDefault = actionOutcome(degraded, 0, '/tmp/r.md');
    expect(byDefault.exitCode).toBe(0);
    expect(byDefault.annotation?.level).toBe('warning');
    expect(byDefault.annotation?.message).toMatch(/the run is degraded: .* 1 image\(s\) missing/);
    expect(actionOutcome(degraded, 0, '/tmp/r.md', 'degraded').exitCode).toBe(1);
  });

  it('a collection that could not be read: not complete, so the pull request step leaves an open one alone', () => {
    const one = actionOutcome(
      summary({ result: 'failed', error: 'HTTP 404' }, { created: 1, files: ['a.md'] }),
      1,
      '/tmp/r.md',
      'never',
    );
    expect(one.exitCode).toBe(0);
    expect(one.outputs.complete).toBe('false');
    expect(one.annotation?.message).toMatch(/1 collection\(s\) could not be synced/);
    expect(actionOutcome(summary({ result: 'failed', error: 'HTTP 404' }), 1, '/tmp/r.md').exitCode).toBe(1);
  });

  it('no summary at all (a bad config, the lock held): exit 1 whatever fail-on says, no report', () => {
    expect(actionOutcome(undefined, 1, '/tmp/r.md', 'never')).toEqual({
      exitCode: 1,
      outputs: {
        changed: 'false',
        created: '0',
        updated: '0',
        deleted: '0',
        failed: '0',
        result: '',
        complete: 'false',
        report: '',
      },
    });
    expect(stepSummary(undefined)).toBe('## Dropmark sync\n\nThe sync could not run: the job log says why.\n');
  });

  it('fail-on: empty is the default (failed); anything but failed, degraded or never is refused', () => {
    expect(parseFailOn('')).toBe('failed');
    expect(parseFailOn(undefined)).toBe('failed');
    expect(parseFailOn(' degraded ')).toBe('degraded');
    expect(parseFailOn('never')).toBe('never');
    expect(parseFailOn('warnings')).toBeUndefined();
  });
});
