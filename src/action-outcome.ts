import type { Summary } from './summary.js';

export interface ActionOutcome {
  exitCode: number;
  /** The action's outputs, as GitHub reads them. */
  outputs: Record<'changed' | 'created' | 'updated' | 'deleted' | 'failed' | 'report', string>;
  /** A line for the job log (an annotation) when some items failed but the sync went on. */
  warning?: string;
}

/**
 * Pure: what the GitHub Action reports for a sync. The job fails only when nothing could be
 * synced (no summary at all: a bad config, the lock; or every collection failed as a whole).
 * Items or images that failed are listed in the report, and the pull request still comes.
 */
export function actionOutcome(summary: Summary | undefined, cliExitCode: number, reportPath: string): ActionOutcome {
  const outputs = {
    changed: String((summary?.files.length ?? 0) > 0),
    created: String(summary?.created ?? 0),
    updated: String(summary?.updated ?? 0),
    deleted: String(summary?.deleted ?? 0),
    failed: String(summary?.failed ?? 0),
    report: summary ? reportPath : '',
  };
  if (!summary) return { exitCode: cliExitCode === 0 ? 1 : cliExitCode, outputs };
  if (summary.ok) return { exitCode: 0, outputs };
  const wholeFailures = summary.collections.filter((c) => c.result === 'failed' && c.error !== undefined);
  if (wholeFailures.length === summary.collections.length) return { exitCode: 1, outputs };
  return {
    exitCode: 0,
    outputs,
    warning:
      `dropmark-sync: ${summary.failed} item(s) or file(s) failed and ${wholeFailures.length} collection(s) ` +
      'could not be synced; the report lists them',
  };
}
