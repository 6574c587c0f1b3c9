import type { Summary } from './summary.js';

/** The action's `fail-on` input: the run result from which the job fails. */
export const FAIL_ON = ['failed', 'degraded', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ActionOutcome {
  exitCode: number;
  /** The action's outputs, as GitHub reads them. */
  outputs: Record<'changed' | 'created' | 'updated' | 'deleted' | 'failed' | 'result' | 'complete' | 'report', string>;
  /** A line for the job log, shown as an annotation, when the run was not clean. */
  annotation?: { level: 'warning' | 'error'; message: string };
}

/** The `fail-on` input ('' is the default, failed), or undefined when it is none of FAIL_ON. */
export function parseFailOn(input: string | undefined): FailOn | undefined {
  const value = (input ?? '').trim() || 'failed';
  return (FAIL_ON as readonly string[]).includes(value) ? (value as FailOn) : undefined;
}

/** Whether a run with this result fails the job: a stopped run is as incomplete as a failed one. */
function fails(result: Summary['result'], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (result === 'failed' || result === 'stopped') return true;
  return failOn === 'degraded' && result === 'degraded';
}

/**
 * Every collection was read and passed over (items that failed aside): the site is then the
 * feed's picture, so the pull request step may run even with nothing changed, and close a sync
 * pull request that is no longer needed. Not after an outage, which must not close it.
 */
function complete(summary: Summary): boolean {
  return summary.collections.every((c) => c.result !== 'stopped' && !(c.result === 'failed' && c.error !== undefined));
}

/**
 * Pure: what the GitHub Action reports for a sync. No summary at all (a bad config, the lock
 * held) fails the job whatever `failOn` says: nothing ran. Otherwise the run's result decides
 * by `failOn`; a run that is not clean is annotated either way, and the report lists why.
 */
export function actionOutcome(
  summary: Summary | undefined,
  cliExitCode: number,
  reportPath: string,
  failOn: FailOn = 'failed',
): ActionOutcome {
  const outputs = {
    changed: String((summary?.files.length ?? 0) > 0),
    created: String(summary?.created ?? 0),
    updated: String(summary?.updated ?? 0),
    deleted: String(summary?.deleted ?? 0),
    failed: String(summary?.failed ?? 0),
    result: summary?.result ?? '',
    complete: String(summary !== undefined && complete(summary)),
    report: summary ? reportPath : '',
  };
  if (!summary) return { exitCode: cliExitCode === 0 ? 1 : cliExitCode, outputs };
  if (summary.result === 'ok') return { exitCode: 0, outputs };
  const failing = fails(summary.result, failOn);
  const wholeFailures = summary.collections.filter((c) => c.result === 'failed' && c.error !== undefined).length;
  const message =
    `dropmark-sync: the run is ${summary.result}: ${summary.failed} item(s) or file(s) failed, ` +
    `${wholeFailures} collection(s) could not be synced, ${summary.imagesMissing} image(s) missing; ` +
    `the job summary and the report list them${failing ? ` (fail-on: ${failOn})` : ''}`;
  return { exitCode: failing ? 1 : 0, outputs, annotation: { level: failing ? 'error' : 'warning', message } };
}

/** The job summary: the report, or why there is none. */
export function stepSummary(report: string | undefined): string {
  if (report !== undefined) return report.endsWith('\n') ? report : `${report}\n`;
  return '## Dropmark sync\n\nThe sync could not run: the job log says why.\n';
}
