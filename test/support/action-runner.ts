import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { tempDir } from './cli.js';

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the action appended to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** What it appended to GITHUB_STEP_SUMMARY. */
  stepSummary: string;
  /** RUNNER_TEMP. */
  temp: string;
}

/** GitHub's files of a job: the step's outputs and summary, and RUNNER_TEMP. */
export interface RunnerFiles {
  temp: string;
  output: string;
  summary: string;
}

export async function runnerFiles(): Promise<RunnerFiles> {
  const temp = await tempDir('dms-runner-');
  const files = { temp, output: path.join(temp, 'github-output'), summary: path.join(temp, 'step-summary.md') };
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  return files;
}

/** GITHUB_OUTPUT's `name=value` lines (the action writes no multi-line value). */
export function parseOutputs(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
}

/**
 * Runs the JavaScript action at `actionPath` as the runner does: action.yml's `runs.main` with the
 * runner's Node, every input as INPUT_<NAME> (upper-cased, a hyphen kept) with action.yml's
 * default where `inputs` has none, GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY. Asynchronous, so a loopback server in this process can answer.
 */
export async function runAction(
  actionPath: string,
  cwd: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; files?: RunnerFiles } = {},
): Promise<ActionRun> {
  const action = parseYaml(await readFile(path.join(actionPath, 'action.yml'), 'utf8'));
  if (action.runs.using !== 'node24') throw new Error(`action.yml runs ${action.runs.using}, not node24`);
  const files = options.files ?? (await runnerFiles());
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_WORKSPACE: cwd,
    RUNNER_TEMP: files.temp,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...options.env,
  };
  for (const [name, spec] of Object.entries(action.inputs as Record<string, { default?: string }>)) {
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? '';
  }
  const before = { output: await readFile(files.output, 'utf8'), summary: await readFile(files.summary, 'utf8') };
  const child = spawn(process.execPath, [path.join(actionPath, action.runs.main)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = parseOutputs((await readFile(files.output, 'utf8')).slice(before.output.length));
  const stepSummary = (await readFile(files.summary, 'utf8')).slice(before.summary.length);
  return { code, stdout, stderr, outputs, stepSummary, temp: files.temp };
}

/**
 * action-validator's verdict on an action.yml or a workflow (status 0: valid for GitHub). Its
 * schema (0.6.0, the latest) predates `using: node24`, which GitHub runs since 2025: an action
 * is checked with node20 in its place, and what it names is asserted by the caller.
 */
export function validateForGitHub(file: string): { status: number | null; output: string } {
  const validator = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.bin/action-validator');
  let checked = file;
  if (path.basename(file) === 'action.yml') {
    const text = readFileSync(file, 'utf8');
    if (!/^ {2}using: node24$/m.test(text)) throw new Error(`${file} does not run on node24`);
    checked = path.join(mkdtempSync(path.join(tmpdir(), 'dms-action-yml-')), 'action.yml');
    writeFileSync(checked, text.replace(/^ {2}using: node24$/m, '  using: node20'));
  }
  const result = spawnSync(validator, [checked], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
