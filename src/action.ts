/**
 * The entry point of the GitHub Action (action.yml, `using: node24`): runs `dropmark-sync sync
 * --json --report` with the action's inputs, writes its outputs and the job summary, and sets
 * the exit code by actionOutcome. Inputs come as INPUT_* variables, as the runner sets them
 * (upper-cased, a hyphen kept: INPUT_FAIL-ON). scripts/bundle-action.mjs bundles this file and
 * the CLI into dist-action/, which is committed: the runner runs the checked-out tree as it is.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionOutcome, FAIL_ON, parseFailOn, stepSummary } from './action-outcome.js';
import type { Summary } from './summary.js';

const env = process.env;
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.js');
// A folder of its own, so a workflow uploads it whole: the report, and the full one when it was cut.
const report = env['INPUT_REPORT'] || path.join(env['RUNNER_TEMP'] || tmpdir(), 'dropmark-sync', 'report.md');
const config = env['INPUT_CONFIG'] || undefined;
// Extra arguments, split on white space (no shell quoting: none of the options needs it).
const extra = (env['INPUT_ARGS'] ?? '').split(/\s+/).filter(Boolean);
const args = ['sync', '--json', '--report', report, ...(config ? ['--config', config] : []), ...extra];

/** The last line of the CLI's stdout, its --json summary; undefined when the sync could not start. */
function readSummary(stdout: string): Summary | undefined {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Summary;
  } catch {
    // No summary: the sync could not start (the CLI said why on stderr).
    return undefined;
  }
}

function readReport(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // No report: the sync could not start, or could not write it (the CLI said why on stderr).
    return undefined;
  }
}

function main(): number {
  const failOn = parseFailOn(env['INPUT_FAIL-ON']);
  if (failOn === undefined) {
    process.stderr.write(`dropmark-sync: fail-on: "${env['INPUT_FAIL-ON']}" is not one of ${FAIL_ON.join(', ')}\n`);
    return 1;
  }
  mkdirSync(path.dirname(report), { recursive: true });
  const run = spawnSync(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    // The --json summary lists every change: a first sync of thousands of items passes the 1 MiB default, which
    // would kill the CLI mid-run and lose the summary.
    maxBuffer: Number.POSITIVE_INFINITY,
  });
  const summary = readSummary(run.stdout);
  const outcome = actionOutcome(summary, run.status ?? 1, report, failOn);
  const lines = Object.entries(outcome.outputs).map(([key, value]) => `${key}=${value}\n`);
  if (env['GITHUB_OUTPUT']) appendFileSync(env['GITHUB_OUTPUT'], lines.join(''));
  else process.stdout.write(lines.join(''));
  const text = stepSummary(summary ? readReport(report) : undefined);
  if (env['GITHUB_STEP_SUMMARY']) appendFileSync(env['GITHUB_STEP_SUMMARY'], text);
  if (outcome.annotation) process.stdout.write(`::${outcome.annotation.level}::${outcome.annotation.message}\n`);
  return outcome.exitCode;
}

process.exitCode = main();
