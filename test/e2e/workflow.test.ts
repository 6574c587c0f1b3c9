import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runAction, runnerFiles, type RunnerFiles } from '../support/action-runner.js';
import { runCli, tempDir } from '../support/cli.js';
import { json, startServer, type TestServer } from '../support/feed-server.js';
import { sampleFeed } from '../support/fixtures.js';
import { git } from '../support/git.js';

/**
 * The workflow `init --github` writes, run the way a runner runs it: the site init set up,
 * committed as init says, cloned fresh, with an empty npm cache; then each step in order with
 * GitHub's variables, the action taken from a clone of this repository's committed tree. Left
 * out: checkout (the clone is the checkout), the cache (a first run misses), the artifact upload
 * and the pull request (GitHub's services).
 */
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIPPED = 'skipped: hugo not installed, or this repository is not a git checkout';
const runnable =
  spawnSync('hugo', ['version']).status === 0 &&
  spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: repo }).status === 0;
if (!runnable) console.warn(`test/e2e/workflow.test.ts ${SKIPPED}`);

const LEFT_OUT = [
  'actions/checkout@',
  'actions/cache/restore@',
  'actions/cache/save@',
  'actions/upload-artifact@',
  'peter-evans/create-pull-request@',
];

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
  env?: Record<string, string>;
}

let server: TestServer;
beforeAll(async () => {
  const feed = sampleFeed();
  // No thumbnails: images are the images tests' subject; here no request may leave the machine.
  for (const item of feed.items) item['thumbnail'] = null;
  server = await startServer(json(feed));
});
afterAll(async () => {
  await server?.close();
});

/** `${{ ... }}` as GitHub fills it in for the steps run here: secrets unset, the runner's folders. */
function expand(text: string, runner: RunnerFiles, workspace: string): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expression: string) => {
    if (expression.startsWith('secrets.')) return '';
    if (expression === 'runner.temp') return runner.temp;
    if (expression === 'github.workspace') return workspace;
    throw new Error(`the test does not know the expression ${expression}`);
  });
}

/** A newcomer's Hugo site (`hugo new site`, committed), then init --github --yes and what it says to commit. */
async function initialisedSite(endpoint: string): Promise<{ site: string; initOutput: string }> {
  const site = path.join(await tempDir('dms-workflow-'), 'my-site');
  expect(spawnSync('hugo', ['new', 'site', site], { encoding: 'utf8' }).status).toBe(0);
  git(site, 'init', '-q');
  git(site, 'add', '-A');
  git(site, 'commit', '-q', '-m', 'hugo new site');
  const init = await runCli(['init', '--endpoint', endpoint, '--github', '--yes'], { cwd: site });
  expect(init.code, init.stderr).toBe(0);
  // The loopback feed is on a private address: allowed here, as a test of one's own server would.
  const config = path.join(site, 'dropmark-sync.yaml');
  await writeFile(config, `${await readFile(config, 'utf8')}http: { allowPrivateNetworks: true, retries: 0 }\n`);
  const add = /^ {2}git add (.+)$/m.exec(init.stdout);
  expect(add, init.stdout).not.toBeNull();
  git(site, 'add', ...(add?.[1] ?? '').split(' '));
  git(site, 'commit', '-q', '-m', 'dropmark-sync');
  return { site, initOutput: init.stdout };
}

describe.skipIf(!runnable)(`the workflow init --github writes (${SKIPPED} when absent)`, () => {
  it('runs on a fresh clone with an empty npm cache: the action from its committed tree, no install', async () => {
    const { site } = await initialisedSite(`${server.url}/616548.json`);
    const root = await tempDir('dms-runner-home-');
    const workspace = path.join(root, 'workspace');
    git(root, 'clone', '-q', site, workspace);
    // The action as `uses: OWNER/dropmark-sync@REF` fetches it: this repository's committed tree.
    const actionPath = path.join(root, 'action');
    git(root, 'clone', '-q', repo, actionPath);
    const npmCache = path.join(root, 'npm-cache');
    await mkdir(npmCache);
    const runner = await runnerFiles();
    const env = { npm_config_cache: npmCache, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runner.temp };

    const workflow = parseYaml(await readFile(path.join(workspace, '.github/workflows/dropmark-sync.yml'), 'utf8'));
    const steps = workflow.jobs.sync.steps as Step[];
    const ran: string[] = [];
    let sync: Awaited<ReturnType<typeof runAction>> | undefined;
    for (const step of steps) {
      if (step.uses !== undefined && LEFT_OUT.some((prefix) => step.uses?.startsWith(prefix))) continue;
      if (step.uses?.startsWith('OWNER/dropmark-sync@')) {
        const inputs = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v), runner, workspace)]),
        );
        const stepEnv = Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, runner, workspace)]),
        );
        sync = await runAction(actionPath, workspace, inputs, { env: { ...env, ...stepEnv }, files: runner });
        expect(sync.code, sync.stderr).toBe(0);
      } else if (step.run !== undefined) {
        const result = spawnSync('bash', ['-e', '-c', expand(step.run, runner, workspace)], {
          cwd: workspace,
          env: { ...process.env, ...env },
          encoding: 'utf8',
        });
        expect(result.status, `${step.name}: ${result.stderr}`).toBe(0);
      } else {
        throw new Error(`the test does not know the step ${JSON.stringify(step)}`);
      }
      ran.push(step.name ?? step.uses ?? '');
    }
    // One step runs on the runner here: the sync. Nothing installs, builds or fetches npm packages.
    expect(ran).toEqual(['Sync']);
    expect(await readdir(npmCache)).toEqual([]);

    expect(sync?.outputs).toEqual({
      changed: 'true',
      created: '41',
      updated: '0',
      deleted: '0',
      failed: '0',
      result: 'ok',
      complete: 'true',
      report: path.join(runner.temp, 'dropmark-sync', 'report.md'),
    });
    const posts = await readdir(path.join(workspace, 'content/post'));
    expect(posts).toHaveLength(41);
    expect(posts).toContain(
      'fiercehealthcare-to-increase-patient-satisfaction-providers-need-to-start-talking-about-costs-survey.md',
    );
    const summary = await readFile(runner.summary, 'utf8');
    expect(summary).toMatch(/^## Dropmark sync\n\n\*\*41 created · 0 updated · 0 deleted\*\* · 0 unchanged/);
    expect(summary).toBe(await readFile(path.join(runner.temp, 'dropmark-sync', 'report.md'), 'utf8'));
    // The cache is saved whatever the sync's result (a failed job saves nothing with actions/cache itself), under
    // the key it was restored with.
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'));
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'));
    expect(save?.if).toBe(`\${{ !cancelled() }}`);
    expect(save?.with?.['key']).toBe(restore?.with?.['key']);
    expect(steps.indexOf(save as Step)).toBeGreaterThan(steps.findIndex((s) => s.id === 'sync'));
    // The artifact step uploads the folder the report is in.
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(expand(String(upload?.with?.['path']), runner, workspace)).toBe(`${runner.temp}/dropmark-sync/`);
    // The site builds with the synced posts.
    const build = spawnSync('hugo', ['--quiet', '--source', workspace], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(await readdir(path.join(workspace, 'public/post'))).toHaveLength(42);
  }, 120_000);
});
