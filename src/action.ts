/**
 * The entry point of the composite GitHub Action (action.yml): runs `dropmark-sync sync
 * --json --report` with the action's inputs, writes its outputs, and sets the exit code by
 * actionOutcome. Inputs come as INPUT_* variables, as action.yml passes them.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionOutcome } from './action-outcome.js';
import type { Summary } from './summary.js';

const env = process.env;
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.js');
const report = env['INPUT_REPORT'] || path.join(env['RUNNER_TEMP'] || tmpdir(), 'dropmark-sync-report.md');
const config = env['INPUT_CONFIG'] || undefined;
// Extra arguments, split on white space (no shell quoting: none of the options needs it).
const extra = (env['INPUT_ARGS'] ?? '').split(/\s+/).filter(Boolean);
const args = ['sync', '--json', '--report', report, ...(config ? ['--config', config] : []), ...extra];

const run = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
let summary: Summary | undefined;
try {
  summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as Summary;
} catch {
  // No summary: the sync could not start (the CLI said why on stderr).
}
const outcome = actionOutcome(summary, run.status ?? 1, report);
const lines = Object.entries(outcome.outputs).map(([key, value]) => `${key}=${value}\n`);
if (env['GITHUB_OUTPUT']) appendFileSync(env['GITHUB_OUTPUT'], lines.join(''));
else process.stdout.write(lines.join(''));
if (outcome.warning) process.stdout.write(`::warning::${outcome.warning}\n`);
process.exitCode = outcome.exitCode;
